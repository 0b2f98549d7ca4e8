using System.Net.Sockets;
using System.Security.Cryptography;

namespace CloudNativeApp.Lambda.EndToEnd.Tests;

/// <summary>
/// An OpenID Connect issuer on a loopback port (discovery document and JWKS over plain HTTP), standing in for a
/// Cognito user pool, so the published function's JwtBearer scheme fetches metadata and keys and validates tokens
/// as in production. Tokens are RS256 JWTs written here by hand: this project does not reference the app or
/// Microsoft.IdentityModel, and a JWT is three base64url parts.
/// </summary>
public sealed class LocalOidcIssuer : IAsyncDisposable
{
    public const string Audience = "e2e-client";

    private const string KeyId = "e2e-key";

    private readonly HttpListener _listener = new();
    private readonly RSA _key = RSA.Create(2048);
    private readonly Task _serving;

    private LocalOidcIssuer()
    {
        var port = FreePort();
        Authority = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(Authority + "/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    /// <summary>The issuer (<c>iss</c>) and Auth:Jwt:Authority.</summary>
    public string Authority { get; }

    public static LocalOidcIssuer Start() => new();

    /// <summary>A signed token for <paramref name="subject"/>, valid from <paramref name="issuedAt"/> (now) for ten minutes.</summary>
    public string CreateToken(string subject, string audience = Audience, string? scope = null, DateTimeOffset? issuedAt = null, RSA? signWith = null)
    {
        var iat = issuedAt ?? DateTimeOffset.UtcNow;
        var payload = new JsonObject
        {
            ["iss"] = Authority,
            ["sub"] = subject,
            ["aud"] = audience,
            ["token_use"] = "access",
            ["iat"] = iat.ToUnixTimeSeconds(),
            ["nbf"] = iat.ToUnixTimeSeconds(),
            ["exp"] = iat.AddMinutes(10).ToUnixTimeSeconds(),
        };
        if (scope is not null)
        {
            payload["scope"] = scope;
        }

        var header = new JsonObject { ["alg"] = "RS256", ["typ"] = "JWT", ["kid"] = KeyId };
        var signed = $"{Base64Url(Encoding.UTF8.GetBytes(header.ToJsonString()))}.{Base64Url(Encoding.UTF8.GetBytes(payload.ToJsonString()))}";
        var signature = (signWith ?? _key).SignData(Encoding.ASCII.GetBytes(signed), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{signed}.{Base64Url(signature)}";
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            await _serving;
        }
        catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException)
        {
            // Stopping the listener ends the pending GetContextAsync with one of these.
        }

        _key.Dispose();
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            var context = await _listener.GetContextAsync();
            var document = context.Request.Url?.AbsolutePath switch
            {
                "/.well-known/openid-configuration" => new JsonObject
                {
                    ["issuer"] = Authority,
                    ["jwks_uri"] = $"{Authority}/.well-known/jwks.json",
                    ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
                },
                "/.well-known/jwks.json" => Jwks(),
                _ => null,
            };
            context.Response.StatusCode = document is null ? 404 : 200;
            context.Response.ContentType = "application/json";
            var body = Encoding.UTF8.GetBytes(document?.ToJsonString() ?? "{}");
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
    }

    private JsonObject Jwks()
    {
        var parameters = _key.ExportParameters(includePrivateParameters: false);
        return new JsonObject
        {
            ["keys"] = new JsonArray(new JsonObject
            {
                ["kty"] = "RSA",
                ["use"] = "sig",
                ["alg"] = "RS256",
                ["kid"] = KeyId,
                ["n"] = Base64Url(parameters.Modulus!),
                ["e"] = Base64Url(parameters.Exponent!),
            }),
        };
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
