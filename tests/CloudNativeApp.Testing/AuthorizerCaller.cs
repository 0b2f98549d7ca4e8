using System.Globalization;
using System.Text.Json.Nodes;

namespace CloudNativeApp.Testing;

/// <summary>
/// A user signed in to a Cognito user pool, as API Gateway's authorizer hands it to the function after verifying the
/// token: REST APIs (Cognito user-pool authorizer) put the ID token's claims, all as strings, in
/// <c>requestContext.authorizer.claims</c>; HTTP APIs (JWT authorizer) put the token's claims in
/// <c>requestContext.authorizer.jwt.claims</c> and its scopes in <c>…jwt.scopes</c>.
/// </summary>
public sealed record AuthorizerCaller(string Subject, string Username)
{
    private const string Issuer = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Ab129faBb";
    private const string ClientId = "6ijb6bg3hk22selq6rj2bb5rmq";
    private static readonly DateTimeOffset SignedInAt = DateTimeOffset.FromUnixTimeSeconds(1583798639);

    /// <summary>The user every API Gateway event in these tests comes from unless a test says otherwise.</summary>
    public static AuthorizerCaller Default { get; } = new("7d9a4e5c-2b1f-4c8e-9a3d-0f6b1e2c3d4a", "e2e-user");

    /// <summary>OAuth scopes of the access token (HTTP API); empty when the client asked for none.</summary>
    public IReadOnlyList<string> Scopes { get; init; } = [];

    public JsonObject RestApiAuthorizer() => new()
    {
        ["claims"] = new JsonObject
        {
            ["sub"] = Subject,
            ["cognito:username"] = Username,
            ["email"] = $"{Username}@example.com",
            ["email_verified"] = "true",
            ["iss"] = Issuer,
            ["aud"] = ClientId,
            ["token_use"] = "id",
            ["auth_time"] = Epoch(SignedInAt),
            // The REST API authorizer renders dates in Java's Date.toString() format.
            ["iat"] = SignedInAt.ToString("ddd MMM dd HH:mm:ss 'UTC' yyyy", CultureInfo.InvariantCulture),
            ["exp"] = SignedInAt.AddHours(1).ToString("ddd MMM dd HH:mm:ss 'UTC' yyyy", CultureInfo.InvariantCulture),
        },
    };

    public JsonObject HttpApiAuthorizer() => new()
    {
        ["jwt"] = new JsonObject
        {
            ["claims"] = new JsonObject
            {
                ["sub"] = Subject,
                ["username"] = Username,
                ["iss"] = Issuer,
                ["client_id"] = ClientId,
                ["token_use"] = "access",
                ["scope"] = string.Join(' ', Scopes),
                ["auth_time"] = Epoch(SignedInAt),
                ["iat"] = Epoch(SignedInAt),
                ["exp"] = Epoch(SignedInAt.AddHours(1)),
                ["jti"] = "0c1b9a8e-5f4d-4e3c-8b2a-1d0e9f8a7b6c",
            },
            ["scopes"] = Scopes.Count == 0 ? null : new JsonArray([.. Scopes.Select(scope => (JsonNode?)JsonValue.Create(scope))]),
        },
    };

    private static string Epoch(DateTimeOffset time) => time.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
}
