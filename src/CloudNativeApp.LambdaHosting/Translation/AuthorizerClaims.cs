namespace CloudNativeApp.LambdaHosting.Translation;

/// <summary>
/// The identity API Gateway already verified, as a ClaimsPrincipal: Cognito user-pool claims (REST API),
/// JWT claims and scopes (HTTP API), Lambda-authorizer context (both) and IAM callers (REST API, HTTP API, Function URLs).
/// Reads only the authorizer and identity objects the event's one read located, never the whole event again.
/// </summary>
internal static class AuthorizerClaims
{
    public const string CognitoUserPool = "CognitoUserPool";
    public const string JwtAuthorizer = "JwtAuthorizer";
    public const string LambdaAuthorizer = "LambdaAuthorizer";
    public const string Iam = "IAM";
    public const string ScopeClaimType = "scope";

    /// <param name="source">The event format, which says where each authorizer puts its claims.</param>
    /// <param name="authorizer">requestContext.authorizer (a JSON object), or empty.</param>
    /// <param name="iamIdentity">requestContext.identity (a JSON object) when it names an IAM caller, or empty.</param>
    /// <returns>The authenticated principal, or null (the request is anonymous).</returns>
    public static ClaimsPrincipal? CreatePrincipal(LambdaEventSource source, ReadOnlySpan<byte> authorizer, ReadOnlySpan<byte> iamIdentity)
    {
        if (source == LambdaEventSource.Alb)
        {
            return null;
        }

        List<ClaimsIdentity>? identities = null;
        if (source == LambdaEventSource.HttpApi)
        {
            var jwt = Find(authorizer, "jwt"u8, JsonTokenType.StartObject);
            if (!jwt.IsEmpty)
            {
                var claims = new List<Claim>();
                AddClaims(claims, Find(jwt, "claims"u8, JsonTokenType.StartObject), skip: null);
                AddScopes(claims, Find(jwt, "scopes"u8, JsonTokenType.StartArray));
                Add(ref identities, new ClaimsIdentity(claims, JwtAuthorizer, "sub", "cognito:groups"));
            }

            var lambda = Find(authorizer, "lambda"u8, JsonTokenType.StartObject);
            if (!lambda.IsEmpty)
            {
                var claims = new List<Claim>();
                AddClaims(claims, lambda, skip: null);
                Add(ref identities, new ClaimsIdentity(claims, LambdaAuthorizer, "principalId", "role"));
            }

            var iam = Find(authorizer, "iam"u8, JsonTokenType.StartObject);
            if (!iam.IsEmpty)
            {
                var claims = new List<Claim>();
                AddClaims(claims, iam, skip: null);
                Add(ref identities, new ClaimsIdentity(claims, Iam, "userArn", "role"));
            }
        }
        else if (!authorizer.IsEmpty)
        {
            var cognito = Find(authorizer, "claims"u8, JsonTokenType.StartObject);
            if (!cognito.IsEmpty)
            {
                var claims = new List<Claim>();
                AddClaims(claims, cognito, skip: null);
                AddScopes(claims, Find(authorizer, "scopes"u8, JsonTokenType.StartArray));
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

        if (source == LambdaEventSource.RestApi && !iamIdentity.IsEmpty)
        {
            var claims = new List<Claim>();
            AddClaims(claims, iamIdentity, skip: static name => name is "sourceIp" or "userAgent" or "clientCert" or "vpcId" or "vpceId" or "apiKey" or "apiKeyId");
            Add(ref identities, new ClaimsIdentity(claims, Iam, "userArn", "role"));
        }

        return identities is null ? null : new ClaimsPrincipal(identities);
    }

    private static void Add(ref List<ClaimsIdentity>? identities, ClaimsIdentity identity) => (identities ??= []).Add(identity);

    /// <summary>The value of property <paramref name="name"/> of a JSON object when it is of <paramref name="kind"/>, otherwise empty.</summary>
    /// <remarks>A repeated name means its last value, as for a parsed document.</remarks>
    private static ReadOnlySpan<byte> Find(ReadOnlySpan<byte> json, ReadOnlySpan<byte> name, JsonTokenType kind)
    {
        if (json.IsEmpty)
        {
            return default;
        }

        var reader = new Utf8JsonReader(json);
        reader.Read();
        ReadOnlySpan<byte> found = default;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var matches = reader.ValueTextEquals(name);
            reader.Read();
            var type = reader.TokenType;
            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            if (matches)
            {
                // Only objects and arrays are asked for; the reader is on their closing token.
                found = type == kind ? json[start..((int)reader.TokenStartIndex + 1)] : default;
            }
        }

        return found;
    }

    private static void AddClaims(List<Claim> claims, ReadOnlySpan<byte> values, Func<string, bool>? skip)
    {
        if (values.IsEmpty)
        {
            return;
        }

        var reader = new Utf8JsonReader(values);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            if (skip?.Invoke(name) == true)
            {
                reader.Skip();
                continue;
            }

            if (reader.TokenType != JsonTokenType.StartArray)
            {
                if (reader.TokenType != JsonTokenType.Null)
                {
                    claims.Add(CreateClaim(name, ref reader, values));
                }

                continue;
            }

            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.Null)
                {
                    claims.Add(CreateClaim(name, ref reader, values));
                }
            }
        }
    }

    /// <summary>A claim of the value the reader is on; an object or array is skipped and kept as its JSON text.</summary>
    private static Claim CreateClaim(string type, ref Utf8JsonReader reader, ReadOnlySpan<byte> json)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return new Claim(type, reader.GetString()!);
            case JsonTokenType.Number:
                return new Claim(type, Encoding.UTF8.GetString(reader.ValueSpan), reader.TryGetInt64(out _) ? ClaimValueTypes.Integer64 : ClaimValueTypes.Double);
            case JsonTokenType.True or JsonTokenType.False:
                return new Claim(type, reader.TokenType == JsonTokenType.True ? "true" : "false", ClaimValueTypes.Boolean);
            default:
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                return new Claim(type, Encoding.UTF8.GetString(json[start..((int)reader.TokenStartIndex + 1)]), "JSON");
        }
    }

    // Scopes arrive as an array (HTTP API JWT authorizer, REST API Cognito) and become one "scope" claim each.
    private static void AddScopes(List<Claim> claims, ReadOnlySpan<byte> scopes)
    {
        if (scopes.IsEmpty)
        {
            return;
        }

        var reader = new Utf8JsonReader(scopes);
        reader.Read();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.String && reader.GetString() is { Length: > 0 } value)
            {
                claims.Add(new Claim(ScopeClaimType, value));
            }

            reader.Skip();
        }
    }
}
