namespace CloudNativeApp.Security;

/// <summary>
/// What authentication, rate limiting and request limits mean for every operation, in the OpenAPI document: the
/// security scheme of <c>Auth:Mode</c> on the operations that need it (so Swagger UI's Authorize button sends a
/// token), their 401/403, the 429 of the rate limiter and the 413 of the body limit.
/// </summary>
internal static class SecurityOpenApi
{
    public const string BearerScheme = "bearer";
    public const string ApiGatewayScheme = "apiGateway";

    public static void AddSecurityTransformers(this OpenApiOptions options, AuthOptions auth)
    {
        var scheme = auth.Mode switch
        {
            AuthMode.Jwt => BearerScheme,
            AuthMode.ApiGateway => ApiGatewayScheme,
            _ => null,
        };
        options.AddDocumentTransformer((document, _, _) =>
        {
            if (scheme is not null)
            {
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[scheme] = SchemeFor(auth);
            }

            return Task.CompletedTask;
        });
        options.AddOperationTransformer(async (operation, context, cancellationToken) =>
        {
            var method = context.Description.HttpMethod ?? HttpMethods.Get;
            var isRead = HttpMethods.IsGet(method) || HttpMethods.IsHead(method);
            var guarded = context.Description.ActionDescriptor.EndpointMetadata.OfType<IAuthorizeData>().Any(data => data.Policy == ApiSecurity.AccessPolicy);

            // Auth:OwnerWrites: only an item's creator may replace, patch or delete it (ItemOwnership), whatever the mode.
            var ownerOnly = guarded && auth.OwnerWrites && (HttpMethods.IsPut(method) || HttpMethods.IsPatch(method) || HttpMethods.IsDelete(method));
            if (ownerOnly || (scheme is not null && guarded && !isRead && !string.IsNullOrEmpty(auth.WriteScope)))
            {
                await context.AddProblemResponseAsync(
                    operation, StatusCodes.Status403Forbidden, "Authenticated, but not allowed: the write scope is missing, or the item is another caller's.", cancellationToken);
            }

            if (scheme is null || !guarded || (isRead && auth.AllowAnonymousReads))
            {
                operation.Security = []; // stated rather than left out: anonymous on purpose
                return;
            }

            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(scheme, context.Document)] = [] }];
            await context.AddProblemResponseAsync(operation, StatusCodes.Status401Unauthorized, "No valid credentials (see WWW-Authenticate).", cancellationToken);
            operation.AddResponseHeader(
                "WWW-Authenticate", "The authentication scheme to use (RFC 9110 §11.6.1).", new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 1024 }, "401");
        });
    }

    /// <summary>Every operation can be refused by the rate limiter (<see cref="RateLimiting"/>) when it is on.</summary>
    public static void AddRateLimitTransformer(this OpenApiOptions options) =>
        options.AddOperationTransformer(async (operation, context, cancellationToken) =>
        {
            await context.AddProblemResponseAsync(operation, StatusCodes.Status429TooManyRequests, "Too many requests from this caller in the current window.", cancellationToken);
            operation.AddResponseHeader("Retry-After", "Seconds until the window allows requests again.", OpenApiDescriptions.RetryAfterSchema(), "429");
        });

    /// <summary>A body over <c>Limits:MaxRequestBodyBytes</c> is a 413 (<see cref="RequestLimits"/>).</summary>
    public static void AddRequestLimitTransformer(this OpenApiOptions options, long maxRequestBodyBytes) =>
        options.AddOperationTransformer(async (operation, context, cancellationToken) =>
        {
            if (operation.RequestBody is not null)
            {
                await context.AddProblemResponseAsync(
                    operation, StatusCodes.Status413PayloadTooLarge, $"The body is over the limit ({maxRequestBodyBytes} bytes).", cancellationToken);
            }
        });

    private static OpenApiSecurityScheme SchemeFor(AuthOptions auth) => auth.Mode == AuthMode.Jwt
        ? new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = $"A JWT from {auth.Jwt.Authority}, validated as RFC8725 (JWT best practices) advises: signature with the issuer's published keys "
                + "(no 'none' algorithm), issuer, lifetime, and audience when Auth:Jwt:Audience is set"
                + (string.IsNullOrEmpty(auth.WriteScope) ? "." : $"; writes need the '{auth.WriteScope}' scope."),
        }
        : new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = "Authorization",
            Description = "API Gateway authenticates the caller before the request reaches the app, with the authorizer it is configured with "
                + "(Cognito user pool or JWT: a bearer token in Authorization; IAM: a SigV4 signature; a Lambda authorizer: what it reads). "
                + "The app trusts the identity the gateway passes on.",
        };
}
