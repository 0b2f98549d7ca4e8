using System.Security.Claims;
using System.Security.Cryptography.X509Certificates;
using CloudNativeApp.Security;
using Microsoft.AspNetCore.Authentication;

namespace CloudNativeApp.Tests.Security;

/// <summary>
/// Mutual TLS on an API Gateway custom domain: the client certificate the gateway verified (which the Lambda hosting
/// layer puts on HttpContext.Connection from the event) becomes claims of the user.
/// </summary>
public sealed class ClientCertificateClaimsTests
{
    /// <summary>
    /// Stands in for the Lambda hosting layer (tested with real events there): the certificate on the connection, the
    /// authorizer's user when asked; then authenticates with the app's scheme and echoes the user's claims.
    /// </summary>
    private sealed class GatewayConnection(X509Certificate2 certificate) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (HttpContext context, RequestDelegate _) =>
            {
                context.Connection.ClientCertificate = certificate;
                if (context.Request.Headers.TryGetValue("X-Test-Gateway-Sub", out var subject))
                {
                    context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", subject.ToString())], "ApiGatewayAuthorizer"));
                }

                var result = await context.AuthenticateAsync(ApiGatewayAuthenticationHandler.SchemeName);
                var user = result.Principal ?? context.User;
                context.Response.Headers["X-Test-Authenticated"] = result.Succeeded.ToString();
                context.Response.Headers["X-Test-Subject-DN"] = user.FindFirstValue(ApiGatewayAuthenticationHandler.ClientCertificateSubjectClaim);
                context.Response.Headers["X-Test-Issuer-DN"] = user.FindFirstValue(ApiGatewayAuthenticationHandler.ClientCertificateIssuerClaim);
                context.Response.Headers["X-Test-Sub"] = user.FindFirstValue("sub");
                await context.Response.CompleteAsync();
            });
            next(app);
        };
    }

    [Theory]
    [InlineData(null)]
    [InlineData("cognito-user-1")]
    public async Task The_client_certificates_subject_and_issuer_are_claims_and_authenticate_nobody_by_themselves(string? subject)
    {
        using var issuerKey = RSA.Create(2048);
        var authority = new CertificateRequest("CN=Example Client CA", issuerKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        authority.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        using var issuer = authority.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        using var clientKey = RSA.Create(2048);
        using var client = new CertificateRequest("CN=device-42, O=Example", clientKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .Create(issuer, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(1), [1, 2, 3, 4]);
        await using var app = SecurityTestHost.Create("Production", ("Auth:Mode", "ApiGateway"), ("RateLimiting:Enabled", "false"))
            .WithWebHostBuilder(host => host.ConfigureServices(services => services.AddSingleton<IStartupFilter>(new GatewayConnection(client))));

        using var request = new HttpRequestMessage(HttpMethod.Get, "/items");
        if (subject is not null)
        {
            request.Headers.Add("X-Test-Gateway-Sub", subject);
        }

        using var response = await app.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("CN=device-42, O=Example", response.Headers.GetValues("X-Test-Subject-DN").Single());
        Assert.Equal("CN=Example Client CA", response.Headers.GetValues("X-Test-Issuer-DN").Single());
        Assert.Equal((subject is not null).ToString(), response.Headers.GetValues("X-Test-Authenticated").Single());
        if (subject is not null)
        {
            Assert.Equal(subject, response.Headers.GetValues("X-Test-Sub").Single());
        }
    }
}
