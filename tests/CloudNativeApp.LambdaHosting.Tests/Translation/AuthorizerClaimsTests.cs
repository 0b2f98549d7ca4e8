using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CloudNativeApp.LambdaHosting.Tests.Translation;

public sealed class AuthorizerClaimsTests
{
    [Fact]
    public async Task Cognito_user_pool_claims_and_scopes_of_a_REST_API_become_the_user()
    {
        var result = await Translate.InvokeAsync(TestEvents.Edit(TestEvents.RestApi, root =>
        {
            root["requestContext"]!["authorizer"] = new JsonObject
            {
                ["claims"] = new JsonObject { ["sub"] = "user-123", ["email"] = "a@example.com", ["cognito:groups"] = "admins" },
                ["scopes"] = new JsonArray("items/read", "items/write"),
            };
        }));

        var user = result.Request!.User;
        Assert.True(user.Identity!.IsAuthenticated);
        Assert.Equal("CognitoUserPool", user.Identity.AuthenticationType);
        Assert.Equal("user-123", user.Identity.Name);
        Assert.Equal("a@example.com", user.FindFirst("email")!.Value);
        Assert.True(user.IsInRole("admins"));
        Assert.Equal(["items/read", "items/write"], user.FindAll("scope").Select(claim => claim.Value));
    }

    [Fact]
    public async Task REST_API_Lambda_authorizer_context_becomes_claims()
    {
        var result = await Translate.InvokeAsync(TestEvents.Edit(TestEvents.RestApi, root =>
        {
            root["requestContext"]!["authorizer"] = new JsonObject
            {
                ["principalId"] = "user|a1b2",
                ["tenant"] = "acme",
                ["admin"] = true,
                ["integrationLatency"] = 12,
            };
        }));

        var user = result.Request!.User;
        Assert.Equal("LambdaAuthorizer", user.Identity!.AuthenticationType);
        Assert.Equal("user|a1b2", user.Identity.Name);
        Assert.Equal("acme", user.FindFirst("tenant")!.Value);
        Assert.Equal("true", user.FindFirst("admin")!.Value);
        Assert.Null(user.FindFirst("integrationLatency"));
    }

    [Fact]
    public async Task REST_API_IAM_caller_becomes_the_user()
    {
        var result = await Translate.InvokeAsync(TestEvents.Edit(TestEvents.RestApi, root =>
        {
            var identity = root["requestContext"]!["identity"]!;
            identity["userArn"] = "arn:aws:iam::123456789012:user/alice";
            identity["accountId"] = "123456789012";
            identity["caller"] = "AIDAEXAMPLE";
        }));

        var user = result.Request!.User;
        Assert.Equal("IAM", user.Identity!.AuthenticationType);
        Assert.Equal("arn:aws:iam::123456789012:user/alice", user.Identity.Name);
        Assert.Equal("123456789012", user.FindFirst("accountId")!.Value);
        Assert.Null(user.FindFirst("sourceIp"));
    }

    [Fact]
    public async Task HTTP_API_JWT_claims_scopes_and_Lambda_authorizer_context_become_identities()
    {
        var result = await Translate.InvokeAsync(TestEvents.Load(TestEvents.HttpApi));

        var user = result.Request!.User;
        var jwt = user.Identities.Single(identity => identity.AuthenticationType == "JwtAuthorizer");
        Assert.True(jwt.IsAuthenticated);
        Assert.Equal("value1", jwt.FindFirst("claim1")!.Value);
        Assert.Equal(["scope1", "scope2"], jwt.FindAll("scope").Select(claim => claim.Value));
        var lambda = user.Identities.Single(identity => identity.AuthenticationType == "LambdaAuthorizer");
        Assert.Equal("exampleValue1", lambda.FindFirst("exampleKey1")!.Value);
    }

    [Fact]
    public async Task HTTP_API_JWT_subject_is_the_name_and_array_claims_become_several()
    {
        var result = await Translate.InvokeAsync(TestEvents.Edit(TestEvents.HttpApi, root =>
        {
            root["requestContext"]!["authorizer"] = new JsonObject
            {
                ["jwt"] = new JsonObject
                {
                    ["claims"] = new JsonObject { ["sub"] = "abc", ["groups"] = new JsonArray("a", "b"), ["exp"] = 1700000000 },
                    ["scopes"] = null,
                },
            };
        }));

        var user = result.Request!.User;
        Assert.Equal("abc", user.Identity!.Name);
        Assert.Equal(["a", "b"], user.FindAll("groups").Select(claim => claim.Value));
        Assert.Equal(ClaimValueTypes.Integer64, user.FindFirst("exp")!.ValueType);
        Assert.Empty(user.FindAll("scope"));
    }

    [Fact]
    public async Task Function_URL_IAM_caller_becomes_the_user()
    {
        var result = await Translate.InvokeAsync(TestEvents.Load(TestEvents.FunctionUrl));

        var user = result.Request!.User;
        Assert.Equal("IAM", user.Identity!.AuthenticationType);
        Assert.Equal("arn:aws:iam::111122223333:user/example-user", user.Identity.Name);
        Assert.Equal("111122223333", user.FindFirst("accountId")!.Value);
        Assert.Equal("AIDA...", user.FindFirst("userId")!.Value);
    }

    [Theory]
    [InlineData(TestEvents.HttpApi)]
    [InlineData(TestEvents.FunctionUrl)]
    public async Task Request_without_authorizer_is_anonymous(string source)
    {
        var result = await Translate.InvokeAsync(TestEvents.Edit(source, root => root["requestContext"]!.AsObject().Remove("authorizer")));

        Assert.False(result.Request!.User.Identity!.IsAuthenticated);
        Assert.Empty(result.Request.User.Claims);
    }

    [Fact]
    public async Task Client_certificate_of_mutual_TLS_is_the_connection_certificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=client.example.com", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var pem = certificate.ExportCertificatePem();

        var v1 = await Translate.InvokeAsync(TestEvents.Edit(TestEvents.RestApi, root =>
            root["requestContext"]!["identity"]!["clientCert"] = new JsonObject { ["clientCertPem"] = pem }));
        var v2 = await Translate.InvokeAsync(TestEvents.Edit(TestEvents.HttpApi, root =>
            root["requestContext"]!["authentication"]!["clientCert"]!["clientCertPem"] = pem));
        var placeholder = await Translate.InvokeAsync(TestEvents.Load(TestEvents.HttpApi));

        Assert.Equal("CN=client.example.com", v1.Request!.ClientCertificateSubject);
        Assert.Equal("CN=client.example.com", v2.Request!.ClientCertificateSubject);
        Assert.Null(placeholder.Request!.ClientCertificateSubject); // "CERT_CONTENT" is not a certificate
    }
}
