namespace CloudNativeApp.Lambda.EndToEnd.Tests;

/// <summary>
/// The published bootstrap as an API Gateway Lambda authorizer (Auth:Mode Jwt against a local OIDC issuer), and the
/// whole chain: authorizer event → policy → the API function's proxy event carrying that authorizer context → createdBy.
/// </summary>
[Collection(UsesPublishedApp.Name)]
public sealed class LambdaAuthorizerTests(PublishedApp app, LambdaAuthorizerTests.Functions functions) : IClassFixture<LambdaAuthorizerTests.Functions>
{
    private LocalOidcIssuer Issuer => functions.Issuer;

    [Theory]
    [MemberData(nameof(AuthorizerEvent.Kinds), MemberType = typeof(AuthorizerEvent))]
    public async Task A_valid_token_is_allowed_as_its_sub_with_its_scopes(AuthorizerEventKind kind)
    {
        var subject = Guid.NewGuid().ToString();
        var token = Issuer.CreateToken(subject, scope: "items/write openid");

        var answer = await AuthorizeAsync(kind, $"Bearer {token}");

        Assert.True(answer.Succeeded, answer.ToString());
        var json = answer.ResponseJson();
        var context = json.GetProperty("context");
        Assert.Equal(subject, context.GetProperty("sub").GetString());
        Assert.Equal("items/write openid", context.GetProperty("scope").GetString());
        if (kind == AuthorizerEventKind.HttpApiRequest)
        {
            Assert.True(json.GetProperty("isAuthorized").GetBoolean());
        }
        else
        {
            Assert.Equal(subject, json.GetProperty("principalId").GetString());
            var statement = Assert.Single(json.GetProperty("policyDocument").GetProperty("Statement").EnumerateArray());
            Assert.Equal("Allow", statement.GetProperty("Effect").GetString());
            Assert.Equal("execute-api:Invoke", statement.GetProperty("Action").GetString());
            Assert.Equal("arn:aws:execute-api:us-east-1:123456789012:abcdef1234/Prod/*", statement.GetProperty("Resource").GetString());
        }
    }

    public static TheoryData<AuthorizerEventKind, string> Refusals()
    {
        var data = new TheoryData<AuthorizerEventKind, string>();
        foreach (var kind in Enum.GetValues<AuthorizerEventKind>())
        {
            foreach (var refusal in new[] { "expired", "wrong audience", "missing header", "garbage", "not bearer", "foreign signature" })
            {
                data.Add(kind, refusal);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Anything_but_a_valid_token_is_unauthorized(AuthorizerEventKind kind, string refusal)
    {
        using var foreignKey = System.Security.Cryptography.RSA.Create(2048);
        var authorization = refusal switch
        {
            "expired" => $"Bearer {Issuer.CreateToken("user-1", issuedAt: DateTimeOffset.UtcNow.AddHours(-1))}",
            "wrong audience" => $"Bearer {Issuer.CreateToken("user-1", audience: "some-other-client")}",
            "missing header" => null,
            "garbage" => "Bearer not.a.jwt{}\u00e9",
            "not bearer" => "Basic dXNlcjpwYXNz",
            "foreign signature" => $"Bearer {Issuer.CreateToken("user-1", signWith: foreignKey)}",
            _ => throw new ArgumentOutOfRangeException(nameof(refusal)),
        };

        var answer = await AuthorizeAsync(kind, authorization);

        if (kind == AuthorizerEventKind.HttpApiRequest)
        {
            // Simple responses cannot say 401: isAuthorized false, which the HTTP API answers with 403.
            Assert.True(answer.Succeeded, answer.ToString());
            Assert.Equal("""{"isAuthorized":false}""", answer.ResponseJson().GetRawText());
        }
        else
        {
            // The one function error API Gateway answers with 401 (a Deny policy would be a 403).
            Assert.Equal(InvocationStatus.FunctionError, answer.Status);
            Assert.Equal("Unauthorized", answer.Error!.ErrorMessage);
        }
    }

    [Theory]
    [MemberData(nameof(ApiGatewaySources))]
    public async Task The_chain_from_token_to_createdBy(HttpEventSource source)
    {
        var subject = Guid.NewGuid().ToString();
        var kind = source == HttpEventSource.RestApi ? AuthorizerEventKind.RestApiToken : AuthorizerEventKind.HttpApiRequest;
        var answer = await AuthorizeAsync(kind, $"Bearer {Issuer.CreateToken(subject, scope: "items/write")}");
        Assert.True(answer.Succeeded, answer.ToString());

        // What API Gateway then sends the API function: the authorizer's context in requestContext.authorizer
        // (REST API: principalId and the context keys side by side; HTTP API: under "lambda").
        var proxyEvent = JsonNode.Parse(NewItem(source).Anonymous().ToJson())!;
        var authorizerAnswer = JsonNode.Parse(answer.ResponseJson().GetRawText())!;
        var context = authorizerAnswer["context"]!.AsObject();
        if (source == HttpEventSource.RestApi)
        {
            var authorizer = new JsonObject { ["principalId"] = authorizerAnswer["principalId"]!.DeepClone(), ["integrationLatency"] = 12 };
            foreach (var (name, value) in context)
            {
                authorizer[name] = value!.DeepClone();
            }

            proxyEvent["requestContext"]!["authorizer"] = authorizer;
        }
        else
        {
            proxyEvent["requestContext"]!["authorizer"] = new JsonObject { ["lambda"] = context.DeepClone() };
        }

        var api = await functions.ApiAsync(app);
        var created = await SendAsync(api, proxyEvent.ToJsonString(), source);

        Assert.Equal(201, created.StatusCode);
        Assert.Equal(subject, created.BodyJson().GetProperty("createdBy").GetString());
    }

    public static TheoryData<HttpEventSource> ApiGatewaySources => new(ApiGatewayFrontDoor.Sources);

    [Theory]
    [MemberData(nameof(ApiGatewaySources))]
    public async Task An_IAM_caller_may_write_and_an_anonymous_one_may_not(HttpEventSource source)
    {
        const string UserArn = "arn:aws:iam::123456789012:user/e2e-deployer";
        var proxyEvent = JsonNode.Parse(NewItem(source).Anonymous().ToJson())!;
        var requestContext = proxyEvent["requestContext"]!;
        if (source == HttpEventSource.RestApi)
        {
            // An AWS_IAM method: API Gateway checked the SigV4 signature and names the caller in requestContext.identity.
            var identity = requestContext["identity"]!.AsObject();
            identity["accountId"] = "123456789012";
            identity["caller"] = "AIDAXMPL1234567890ABC";
            identity["user"] = "AIDAXMPL1234567890ABC";
            identity["userArn"] = UserArn;
            identity["accessKey"] = "AKIAXMPL1234567890AB";
        }
        else
        {
            requestContext["authorizer"] = new JsonObject
            {
                ["iam"] = new JsonObject
                {
                    ["accessKey"] = "AKIAXMPL1234567890AB",
                    ["accountId"] = "123456789012",
                    ["callerId"] = "AIDAXMPL1234567890ABC",
                    ["cognitoIdentity"] = null,
                    ["principalOrgId"] = null,
                    ["userArn"] = UserArn,
                    ["userId"] = "AIDAXMPL1234567890ABC",
                },
            };
        }

        var api = await functions.ApiAsync(app);
        var signed = await SendAsync(api, proxyEvent.ToJsonString(), source);
        var anonymous = await api.SendAsync(NewItem(source).Anonymous());

        Assert.Equal(201, signed.StatusCode);
        Assert.Equal(401, anonymous.StatusCode);
    }

    private async Task<InvocationOutcome> AuthorizeAsync(AuthorizerEventKind kind, string? authorization)
    {
        var authorizer = await functions.AuthorizerAsync(app);
        return await authorizer.InvokeAsync(AuthorizerEvent.For(kind, authorization));
    }

    private static async Task<LambdaHttpResponse> SendAsync(PublishedFunction function, string eventJson, HttpEventSource source)
    {
        var outcome = await function.InvokeAsync(eventJson);
        Assert.True(outcome.Succeeded, $"{outcome}\nFunction output:\n{function.Process.Output}");
        return LambdaHttpResponse.Parse(outcome.ResponseJson(), source);
    }

    private static HttpEvent NewItem(HttpEventSource source) =>
        HttpEvent.PostJson(source, "/items", $$"""{"name":"authorized {{Guid.NewGuid():N}}","category":"auth"}""");

    /// <summary>The issuer, the authorizer function (Auth:Mode Jwt) and the API function (Auth:Mode ApiGateway, the default), started once per class.</summary>
    public sealed class Functions : IAsyncLifetime
    {
        private readonly FunctionFixture _authorizer = new();
        private readonly FunctionFixture _api = new();

        public LocalOidcIssuer Issuer { get; } = LocalOidcIssuer.Start();

        public Task<PublishedFunction> AuthorizerAsync(PublishedApp app) => _authorizer.StartOnceAsync(_ =>
        {
            var environment = AppEnvironment.InMemory();
            environment["Auth__Mode"] = "Jwt";
            environment["Auth__Jwt__Authority"] = Issuer.Authority;
            environment["Auth__Jwt__Audience"] = LocalOidcIssuer.Audience;
            environment["Auth__Jwt__RequireHttpsMetadata"] = "false";
            return app.StartFunctionAsync(environment);
        });

        public Task<PublishedFunction> ApiAsync(PublishedApp app) => _api.StartOnceAsync(_ => app.StartFunctionAsync(AppEnvironment.InMemory()));

        public Task InitializeAsync() => Task.CompletedTask;

        public async Task DisposeAsync()
        {
            await _authorizer.DisposeAsync();
            await _api.DisposeAsync();
            await Issuer.DisposeAsync();
        }
    }
}
