using Microsoft.AspNetCore.Http.Features;
using Microsoft.IdentityModel.JsonWebTokens;

namespace CloudNativeApp.Tests.Security;

/// <summary>
/// A real OpenID Connect issuer on a loopback port (discovery document and JWKS over HTTP), standing in for a
/// Cognito user pool, so the app's JwtBearer handler fetches keys and validates tokens exactly as in production.
/// </summary>
internal sealed class LocalTokenIssuer : IAsyncDisposable
{
    private readonly WebApplication _server;
    private readonly RsaSecurityKey _signingKey = new(RSA.Create(2048)) { KeyId = "test-key" };

    private LocalTokenIssuer(WebApplication server) => _server = server;

    public string Authority { get; private set; } = "";

    public static async Task<LocalTokenIssuer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var issuer = new LocalTokenIssuer(builder.Build());
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(issuer._signingKey.Rsa.ExportParameters(false)) { KeyId = "test-key" });
        jwk.Use = "sig";
        jwk.Alg = SecurityAlgorithms.RsaSha256;

        issuer._server.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = issuer.Authority,
            ["jwks_uri"] = $"{issuer.Authority}/.well-known/jwks.json",
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        }));
        issuer._server.MapGet("/.well-known/jwks.json", () => Results.Json(new { keys = new[] { jwk } }));
        await issuer._server.StartAsync();
        issuer.Authority = issuer._server.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return issuer;
    }

    public string CreateToken(string subject, string audience = "test-client", string? scope = null, SecurityKey? signWith = null, DateTime? expires = null)
    {
        var claims = new Dictionary<string, object> { ["sub"] = subject, ["token_use"] = "access" };
        if (scope is not null)
        {
            claims["scope"] = scope;
        }

        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Authority,
            Audience = audience,
            Claims = claims,
            Expires = expires ?? DateTime.UtcNow.AddMinutes(10),
            NotBefore = (expires ?? DateTime.UtcNow.AddMinutes(10)).AddMinutes(-20),
            IssuedAt = (expires ?? DateTime.UtcNow.AddMinutes(10)).AddMinutes(-20),
            SigningCredentials = new SigningCredentials(signWith ?? _signingKey, SecurityAlgorithms.RsaSha256),
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _server.StopAsync();
        await _server.DisposeAsync();
        _signingKey.Rsa.Dispose();
    }
}
