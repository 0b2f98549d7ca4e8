namespace CloudNativeApp.Security.Authorizer;

/// <summary>
/// The app's bootstrap as an API Gateway Lambda authorizer: the caller's bearer token goes through the very JwtBearer
/// scheme <c>Auth:Mode=Jwt</c> registers (same OIDC metadata and signing keys, issuer, audience, lifetime and clock
/// skew), so the authorizer and the app can never disagree about a token. A valid token is allowed with
/// <c>principalId</c> = its <c>sub</c>, and <c>sub</c> and <c>scope</c> in the context, where the API function
/// (<c>Auth:Mode=ApiGateway</c>) reads the user from; anything else is Unauthorized (401 on a REST API).
/// </summary>
internal sealed class JwtLambdaAuthorizer(IServiceProvider services, IAuthenticationSchemeProvider schemes, IOptionsMonitor<JwtBearerOptions> bearerOptions)
    : ILambdaAuthorizerHandler
{
    public const string NotConfigured = "Authorizer.NotConfigured";

    public const string IssuerUnavailable = "Authorizer.IssuerUnavailable";

    public async ValueTask<LambdaAuthorizerResult> AuthorizeAsync(LambdaAuthorizerRequest request, ILambdaContext context, CancellationToken cancellationToken)
    {
        if (await schemes.GetSchemeAsync(JwtBearerDefaults.AuthenticationScheme) is null)
        {
            throw new LambdaFunctionException(NotConfigured,
                "This function received an API Gateway authorizer event but validates no tokens: set Auth__Mode=Jwt and Auth__Jwt__Authority (and Auth__Jwt__Audience) on it.");
        }

        if (string.IsNullOrWhiteSpace(request.AuthorizationToken))
        {
            return LambdaAuthorizerResult.Unauthorized("The request carries no Authorization header.");
        }

        // The token in the header JwtBearer reads, on a request of its own: the handler parses "Bearer <token>" itself.
        var http = new DefaultHttpContext { RequestServices = services, RequestAborted = cancellationToken };
        http.Request.Headers.Authorization = request.AuthorizationToken;
        await EnsureIssuerReadableAsync(cancellationToken);
        var result = await http.AuthenticateAsync(JwtBearerDefaults.AuthenticationScheme);
        if (result.None)
        {
            return LambdaAuthorizerResult.Unauthorized("The Authorization header is not a bearer token.");
        }

        if (!result.Succeeded)
        {
            return LambdaAuthorizerResult.Unauthorized($"The bearer token is not valid: {result.Failure?.Message}");
        }

        var user = result.Principal;
        var subject = user.FindFirstValue("sub");
        if (string.IsNullOrEmpty(subject))
        {
            return LambdaAuthorizerResult.Unauthorized("The bearer token has no sub claim.");
        }

        var authorizerContext = new Dictionary<string, string>(StringComparer.Ordinal) { ["sub"] = subject };
        var scopes = user.FindAll(claim => claim.Type is "scope" or "scp").Select(claim => claim.Value).ToArray();
        if (scopes.Length > 0)
        {
            authorizerContext["scope"] = string.Join(' ', scopes);
        }

        if (user.FindFirstValue("iss") is { } issuer)
        {
            authorizerContext["iss"] = issuer;
        }

        return LambdaAuthorizerResult.Allow(subject, authorizerContext);
    }

    /// <summary>
    /// The issuer's metadata and keys, from the configuration manager JwtBearer itself uses (cached there, so this
    /// fetches nothing JwtBearer would not). Without them every token would fail as if it were bad (IDX10204): that is
    /// a function error (API Gateway answers 500) rather than a 401 telling valid callers to sign in again.
    /// </summary>
    private async Task EnsureIssuerReadableAsync(CancellationToken cancellationToken)
    {
        if (bearerOptions.Get(JwtBearerDefaults.AuthenticationScheme).ConfigurationManager is not { } metadata)
        {
            return;
        }

        try
        {
            await metadata.GetConfigurationAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is InvalidOperationException or IOException or HttpRequestException)
        {
            throw new LambdaFunctionException(IssuerUnavailable,
                "The token issuer's OpenID Connect metadata or signing keys could not be read (Auth:Jwt:Authority); no token was judged.", exception);
        }
    }
}
