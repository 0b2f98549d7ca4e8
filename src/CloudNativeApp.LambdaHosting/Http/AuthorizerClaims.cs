using System.Security.Claims;
using System.Text.Json;

namespace CloudNativeApp.LambdaHosting.Http;

/// <summary>
/// The identity API Gateway already verified, as a ClaimsPrincipal: Cognito user-pool claims (REST API),
/// JWT claims and scopes (HTTP API), Lambda-authorizer context (both) and IAM callers (REST API, HTTP API, Function URLs).
/// </summary>
internal static class AuthorizerClaims
{
    public const string CognitoUserPool = "CognitoUserPool";
    public const string JwtAuthorizer = "JwtAuthorizer";
    public const string LambdaAuthorizer = "LambdaAuthorizer";
    public const string Iam = "IAM";
    public const string ScopeClaimType = "scope";

    /// <returns>The authenticated principal, or null (the request is anonymous).</returns>
    public static ClaimsPrincipal? CreatePrincipal(LambdaEventSource source, JsonElement requestContext)
    {
        if (requestContext.ValueKind != JsonValueKind.Object || source == LambdaEventSource.Alb)
        {
            return null;
        }

        List<ClaimsIdentity>? identities = null;
        var authorizer = requestContext.Object("authorizer"u8);

        if (source == LambdaEventSource.ApiGatewayV2)
        {
            if (authorizer.Object("jwt"u8) is { ValueKind: JsonValueKind.Object } jwt)
            {
                var claims = new List<Claim>();
                AddClaims(claims, jwt.Object("claims"u8), skip: default);
                AddScopes(claims, jwt.Property("scopes"u8));
                Add(ref identities, new ClaimsIdentity(claims, JwtAuthorizer, "sub", "cognito:groups"));
            }

            if (authorizer.Object("lambda"u8) is { ValueKind: JsonValueKind.Object } lambda)
            {
                var claims = new List<Claim>();
                AddClaims(claims, lambda, skip: default);
                Add(ref identities, new ClaimsIdentity(claims, LambdaAuthorizer, "principalId", "role"));
            }

            if (authorizer.Object("iam"u8) is { ValueKind: JsonValueKind.Object } iam)
            {
                var claims = new List<Claim>();
                AddClaims(claims, iam, skip: default);
                Add(ref identities, new ClaimsIdentity(claims, Iam, "userArn", "role"));
            }
        }
        else if (authorizer.ValueKind == JsonValueKind.Object)
        {
            if (authorizer.Object("claims"u8) is { ValueKind: JsonValueKind.Object } cognito)
            {
                var claims = new List<Claim>();
                AddClaims(claims, cognito, skip: default);
                AddScopes(claims, authorizer.Property("scopes"u8));
                Add(ref identities, new ClaimsIdentity(claims, CognitoUserPool, "sub", "cognito:groups"));
            }
            else
            {
                // A REST API Lambda authorizer puts principalId and its context keys straight into "authorizer".
                var claims = new List<Claim>();
                AddClaims(claims, authorizer, skip: static name => name is "claims" or "scopes" or "integrationLatency");
                if (claims.Count > 0)
                {
                    Add(ref identities, new ClaimsIdentity(claims, LambdaAuthorizer, "principalId", "role"));
                }
            }
        }

        if (source == LambdaEventSource.ApiGatewayV1
            && requestContext.Object("identity"u8) is { ValueKind: JsonValueKind.Object } identity
            && identity.String("userArn"u8) is not null)
        {
            var claims = new List<Claim>();
            AddClaims(claims, identity, skip: static name => name is "sourceIp" or "userAgent" or "clientCert" or "vpcId" or "vpceId" or "apiKey" or "apiKeyId");
            Add(ref identities, new ClaimsIdentity(claims, Iam, "userArn", "role"));
        }

        return identities is null ? null : new ClaimsPrincipal(identities);
    }

    private static void Add(ref List<ClaimsIdentity>? identities, ClaimsIdentity identity) => (identities ??= []).Add(identity);

    private static void AddClaims(List<Claim> claims, JsonElement values, Func<string, bool>? skip)
    {
        if (values.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach (var property in values.EnumerateObject())
        {
            if (skip?.Invoke(property.Name) == true)
            {
                continue;
            }

            var value = property.Value;
            switch (value.ValueKind)
            {
                case JsonValueKind.Null or JsonValueKind.Undefined:
                    break;
                case JsonValueKind.Array:
                    foreach (var item in value.EnumerateArray())
                    {
                        if (item.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined))
                        {
                            claims.Add(CreateClaim(property.Name, item));
                        }
                    }

                    break;
                default:
                    claims.Add(CreateClaim(property.Name, value));
                    break;
            }
        }
    }

    private static Claim CreateClaim(string type, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => new Claim(type, value.GetString()!),
        JsonValueKind.Number => new Claim(type, value.GetRawText(), value.TryGetInt64(out _) ? ClaimValueTypes.Integer64 : ClaimValueTypes.Double),
        JsonValueKind.True or JsonValueKind.False => new Claim(type, value.GetRawText(), ClaimValueTypes.Boolean),
        _ => new Claim(type, value.GetRawText(), "JSON"),
    };

    // Scopes arrive as an array (HTTP API JWT authorizer, REST API Cognito) and become one "scope" claim each.
    private static void AddScopes(List<Claim> claims, JsonElement scopes)
    {
        if (scopes.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        foreach (var scope in scopes.EnumerateArray())
        {
            if (scope.ValueKind == JsonValueKind.String && scope.GetString() is { Length: > 0 } value)
            {
                claims.Add(new Claim(ScopeClaimType, value));
            }
        }
    }
}
