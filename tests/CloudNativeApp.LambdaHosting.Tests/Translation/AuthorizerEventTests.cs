using CloudNativeApp.LambdaHosting.Translation;

namespace CloudNativeApp.LambdaHosting.Tests.Translation;

/// <summary>API Gateway authorizer events: told apart from HTTP events, their credential found, their answer written.</summary>
public sealed class AuthorizerEventTests
{
    public static TheoryData<string, LambdaAuthorizerEventKind> AuthorizerEvents => new()
    {
        { TestEvents.RestApiTokenAuthorizer, LambdaAuthorizerEventKind.RestApiToken },
        { TestEvents.RestApiRequestAuthorizer, LambdaAuthorizerEventKind.RestApiRequest },
        { TestEvents.HttpApiAuthorizer, LambdaAuthorizerEventKind.HttpApiRequest },
    };

    public static TheoryData<string> HttpEvents => new(TestEvents.RestApi, TestEvents.HttpApi, TestEvents.FunctionUrl, TestEvents.Alb);

    [Theory]
    [MemberData(nameof(AuthorizerEvents))]
    public void Authorizer_events_are_recognised_with_their_kind(string name, LambdaAuthorizerEventKind kind)
    {
        Assert.Equal(kind, Read(TestEvents.Load(name)).AuthorizerKind);
        Assert.Equal(kind, AuthorizerEventTranslator.TryRead(TestEvents.Load(name))!.Kind);
    }

    [Theory]
    [MemberData(nameof(AuthorizerEvents))]
    public async Task An_authorizer_event_is_never_served_as_an_HTTP_request_even_with_a_forced_source(string name, LambdaAuthorizerEventKind kind)
    {
        _ = kind;
        foreach (LambdaEventSource? source in new LambdaEventSource?[] { null, LambdaEventSource.RestApi, LambdaEventSource.HttpApi, LambdaEventSource.Alb })
        {
            var result = await Translate.InvokeAsync(TestEvents.Load(name), options: new LambdaHostingOptions { EventSource = source });

            Assert.Equal(LambdaInvocationKind.NotHttpEvent, result.Kind);
            Assert.Null(result.Request);
        }
    }

    [Theory]
    [MemberData(nameof(HttpEvents))]
    public async Task An_HTTP_event_is_never_an_authorizer_event(string name)
    {
        Assert.Null(Read(TestEvents.Load(name)).AuthorizerKind);
        Assert.Null(AuthorizerEventTranslator.TryRead(TestEvents.Load(name)));
        Assert.Equal(LambdaInvocationKind.HttpResponse, (await Translate.InvokeAsync(TestEvents.Load(name))).Kind);
    }

    [Fact]
    public void An_HTTP_API_event_with_a_type_field_but_no_route_ARN_is_still_an_HTTP_event()
    {
        var withType = TestEvents.Edit(TestEvents.HttpApi, root => root["type"] = "REQUEST");

        Assert.Null(Read(withType).AuthorizerKind);
    }

    [Theory]
    [InlineData("""{"type":"TOKEN","authorizationToken":"Bearer x"}""")]
    [InlineData("""{"type":"TOKEN","authorizationToken":"Bearer x","methodArn":42}""")]
    [InlineData("""{"type":"SOMETHING","methodArn":"arn:aws:execute-api:r:1:a/s/GET/x"}""")]
    [InlineData("""{"type":"TOKEN","routeArn":"arn:aws:execute-api:r:1:a/s/GET/x"}""")]
    [InlineData("""[{"type":"TOKEN","methodArn":"arn"}]""")]
    public void Look_alikes_are_not_authorizer_events(string json)
    {
        Assert.Null(AuthorizerEventTranslator.TryRead(System.Text.Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void The_credential_is_read_from_where_each_kind_carries_it()
    {
        Assert.Equal("Bearer allow-token", AuthorizerEventTranslator.TryRead(TestEvents.Load(TestEvents.RestApiTokenAuthorizer))!.AuthorizationToken);
        Assert.Equal("Bearer allow-token", AuthorizerEventTranslator.TryRead(TestEvents.Load(TestEvents.RestApiRequestAuthorizer))!.AuthorizationToken);

        var lowerCaseHeader = TestEvents.Edit(TestEvents.RestApiRequestAuthorizer, root => root["headers"] = new System.Text.Json.Nodes.JsonObject { ["authorization"] = "Bearer lower" });
        Assert.Equal("Bearer lower", AuthorizerEventTranslator.TryRead(lowerCaseHeader)!.AuthorizationToken);

        var onlyIdentitySource = TestEvents.Edit(TestEvents.HttpApiAuthorizer, root =>
        {
            root.Remove("headers");
            root["identitySource"] = new System.Text.Json.Nodes.JsonArray("Bearer from-identity-source");
        });
        Assert.Equal("Bearer from-identity-source", AuthorizerEventTranslator.TryRead(onlyIdentitySource)!.AuthorizationToken);

        var none = TestEvents.Edit(TestEvents.HttpApiAuthorizer, root =>
        {
            root.Remove("headers");
            root.Remove("identitySource");
        });
        var request = AuthorizerEventTranslator.TryRead(none)!;
        Assert.Null(request.AuthorizationToken);
        Assert.Equal("arn:aws:execute-api:us-east-1:123456789012:abcdef123/test/GET/request", request.ResourceArn);

        var emptyToken = TestEvents.Edit(TestEvents.RestApiTokenAuthorizer, root => root["authorizationToken"] = "");
        Assert.Null(AuthorizerEventTranslator.TryRead(emptyToken)!.AuthorizationToken);
    }

    [Theory]
    [InlineData(LambdaAuthorizerEventKind.RestApiToken)]
    [InlineData(LambdaAuthorizerEventKind.RestApiRequest)]
    public void A_REST_API_allow_is_an_IAM_policy_for_the_whole_stage_with_the_context(LambdaAuthorizerEventKind kind)
    {
        var request = new LambdaAuthorizerRequest(kind, "Bearer t", "arn:aws:execute-api:us-east-1:123456789012:abcdef123/Prod/POST/items/42");

        var response = Write(request, LambdaAuthorizerResult.Allow("user-1", new Dictionary<string, string> { ["sub"] = "user-1", ["scope"] = "items/write openid" }));

        Assert.Equal("user-1", response.GetProperty("principalId").GetString());
        var policy = response.GetProperty("policyDocument");
        Assert.Equal("2012-10-17", policy.GetProperty("Version").GetString());
        var statement = Assert.Single(policy.GetProperty("Statement").EnumerateArray());
        Assert.Equal("execute-api:Invoke", statement.GetProperty("Action").GetString());
        Assert.Equal("Allow", statement.GetProperty("Effect").GetString());
        Assert.Equal("arn:aws:execute-api:us-east-1:123456789012:abcdef123/Prod/*", statement.GetProperty("Resource").GetString());
        Assert.Equal("items/write openid", response.GetProperty("context").GetProperty("scope").GetString());
        Assert.Equal("user-1", response.GetProperty("context").GetProperty("sub").GetString());
    }

    [Fact]
    public void A_REST_API_deny_is_a_deny_policy_without_context()
    {
        var request = new LambdaAuthorizerRequest(LambdaAuthorizerEventKind.RestApiToken, "Bearer t", "arn:aws:execute-api:us-east-1:123456789012:abcdef123/Prod/GET/items");

        var response = Write(request, LambdaAuthorizerResult.Deny("user-1", "not allowed"));

        Assert.Equal("Deny", response.GetProperty("policyDocument").GetProperty("Statement")[0].GetProperty("Effect").GetString());
        Assert.False(response.TryGetProperty("context", out _));
    }

    [Theory]
    [InlineData(LambdaAuthorizerEventKind.RestApiToken)]
    [InlineData(LambdaAuthorizerEventKind.RestApiRequest)]
    public void A_REST_API_unauthorized_is_the_function_error_API_Gateway_answers_with_401(LambdaAuthorizerEventKind kind)
    {
        var request = new LambdaAuthorizerRequest(kind, null, "arn:aws:execute-api:us-east-1:123456789012:abcdef123/Prod/GET/items");

        var error = Assert.Throws<LambdaFunctionException>(() => Write(request, LambdaAuthorizerResult.Unauthorized("no token")));

        Assert.Equal("Unauthorized", error.Message);
        Assert.Equal(LambdaErrorTypes.AuthorizerUnauthorized, error.ErrorType);
    }

    [Fact]
    public void An_HTTP_API_answer_is_a_simple_response()
    {
        var request = new LambdaAuthorizerRequest(LambdaAuthorizerEventKind.HttpApiRequest, "Bearer t", "arn:aws:execute-api:us-east-1:123456789012:abcdef123/$default/GET/items");

        var allowed = Write(request, LambdaAuthorizerResult.Allow("user-1", new Dictionary<string, string> { ["sub"] = "user-1" }));
        var unauthorized = Write(request, LambdaAuthorizerResult.Unauthorized("expired"));
        var denied = Write(request, LambdaAuthorizerResult.Deny("user-1", "no"));

        Assert.True(allowed.GetProperty("isAuthorized").GetBoolean());
        Assert.Equal("user-1", allowed.GetProperty("context").GetProperty("sub").GetString());
        Assert.False(allowed.TryGetProperty("policyDocument", out _));
        Assert.Equal("""{"isAuthorized":false}""", unauthorized.GetRawText());
        Assert.Equal("""{"isAuthorized":false}""", denied.GetRawText());
    }

    [Theory]
    [InlineData("arn:aws:execute-api:us-east-1:123456789012:abcdef123/Prod/GET/items", "arn:aws:execute-api:us-east-1:123456789012:abcdef123/Prod/*")]
    [InlineData("arn:aws:execute-api:us-east-1:123456789012:abcdef123/Prod/GET/", "arn:aws:execute-api:us-east-1:123456789012:abcdef123/Prod/*")]
    [InlineData("arn:aws:execute-api:us-east-1:123456789012:abcdef123/Prod", "arn:aws:execute-api:us-east-1:123456789012:abcdef123/Prod")]
    [InlineData("not-an-arn", "not-an-arn")]
    public void The_policy_covers_the_stage_of_the_method_ARN(string methodArn, string expected)
    {
        Assert.Equal(expected, AuthorizerEventTranslator.PolicyResource(methodArn));
    }

    private static LambdaEvent Read(byte[] json)
    {
        var lambdaEvent = new LambdaEvent();
        using var body = new PooledBuffer();
        lambdaEvent.Read(json, body);
        return lambdaEvent;
    }

    private static JsonElement Write(LambdaAuthorizerRequest request, LambdaAuthorizerResult result)
    {
        var output = new ArrayBufferWriter<byte>();
        AuthorizerEventTranslator.WriteResponse(request, result, output);
        return JsonDocument.Parse(output.WrittenMemory).RootElement.Clone();
    }
}
