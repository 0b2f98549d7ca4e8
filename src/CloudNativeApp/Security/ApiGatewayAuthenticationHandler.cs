using System.Security.Cryptography.X509Certificates;

namespace CloudNativeApp.Security;

/// <summary>
/// Accepts the principal the Lambda hosting layer built from API Gateway's authorizer (Cognito user pool,
/// JWT, Lambda authorizer or IAM). The gateway has already verified it; here we only decide it counts.
/// </summary>
internal sealed class ApiGatewayAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiGateway";

    /// <summary>The subject DN of the client certificate API Gateway's mutual TLS verified (custom domain with a truststore).</summary>
    public const string ClientCertificateSubjectClaim = "client_cert_subject";

    /// <summary>The issuer DN of that certificate.</summary>
    public const string ClientCertificateIssuerClaim = "client_cert_issuer";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        AddClientCertificate(Context.User, Context.Connection.ClientCertificate);
        return Task.FromResult(Context.User.Identity?.IsAuthenticated == true
            ? AuthenticateResult.Success(new AuthenticationTicket(Context.User, SchemeName))
            : AuthenticateResult.NoResult());
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer realm=\"api-gateway\"";
        return Task.CompletedTask;
    }

    // Claims only, in an identity of their own that authenticates nobody: the truststore decides who may connect at
    // all, and the authorizer (or IAM) who the caller is.
    private static void AddClientCertificate(ClaimsPrincipal user, X509Certificate2? certificate)
    {
        if (certificate is null || user.HasClaim(claim => claim.Type == ClientCertificateSubjectClaim))
        {
            return;
        }

        user.AddIdentity(new ClaimsIdentity(
        [
            new Claim(ClientCertificateSubjectClaim, certificate.Subject),
            new Claim(ClientCertificateIssuerClaim, certificate.Issuer),
        ]));
    }
}
