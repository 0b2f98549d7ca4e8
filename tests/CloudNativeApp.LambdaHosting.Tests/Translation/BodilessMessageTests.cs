namespace CloudNativeApp.LambdaHosting.Tests.Translation;

/// <summary>
/// Requests and responses without content. API Gateway and ALB drop a request's Content-Length, and a REST API adds
/// "Content-Type: application/json" to a response that has none.
/// </summary>
public sealed class BodilessMessageTests
{
    public static TheoryData<string, string, long?> SourcesAndMethods()
    {
        var data = new TheoryData<string, string, long?>();
        foreach (var source in new[] { TestEvents.RestApi, TestEvents.HttpApi, TestEvents.FunctionUrl, TestEvents.Alb })
        {
            // RFC 9110 §8.6: a client sends "Content-Length: 0" when the method defines a meaning for enclosed content.
            data.Add(source, "POST", 0);
            data.Add(source, "PUT", 0);
            data.Add(source, "PATCH", 0);
            data.Add(source, "GET", null);
            data.Add(source, "HEAD", null);
            data.Add(source, "DELETE", null);
            data.Add(source, "OPTIONS", null);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SourcesAndMethods))]
    public async Task Bodiless_request_has_the_content_length_a_client_would_send(string source, string method, long? expected)
    {
        bool? canHaveBody = null;
        var result = await Translate.InvokeAsync(
            TestEvents.Edit(source, root =>
            {
                SetMethod(root, method);
                root.Remove("body");
            }),
            context =>
            {
                canHaveBody = context.Features.Get<IHttpRequestBodyDetectionFeature>()!.CanHaveBody;
                return Task.CompletedTask;
            });

        Assert.Equal(method, result.Request!.Method);
        Assert.Equal(expected, result.Request.ContentLength);
        Assert.Empty(result.Request.Body);
        Assert.False(canHaveBody); // as Kestrel says for "Content-Length: 0"
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    public async Task Empty_or_null_body_of_a_post_is_content_length_zero(string? body)
    {
        var result = await Translate.InvokeAsync(TestEvents.Edit(TestEvents.RestApi, root =>
        {
            root["httpMethod"] = "POST";
            root["body"] = body;
            root["isBase64Encoded"] = true;
        }));

        Assert.Equal(0, result.Request!.ContentLength);
    }

    [Fact]
    public async Task Post_body_keeps_its_length()
    {
        var result = await Translate.InvokeAsync(TestEvents.Edit(TestEvents.Alb, root => root["httpMethod"] = "POST"));

        Assert.Equal("request_body".Length, result.Request!.ContentLength);
    }

    public static TheoryData<int, string?> BodilessResponses() => new()
    {
        { StatusCodes.Status302Found, "/elsewhere" },
        { StatusCodes.Status204NoContent, null },
        { StatusCodes.Status202Accepted, null },
        { StatusCodes.Status200OK, null },
    };

    [Theory]
    [MemberData(nameof(BodilessResponses))]
    public async Task Rest_api_response_without_content_type_says_none_so_api_gateway_adds_none(int status, string? location)
    {
        var result = await Translate.InvokeAsync(TestEvents.Load(TestEvents.RestApi), context =>
        {
            context.Response.StatusCode = status;
            if (location is not null)
            {
                context.Response.Headers.Location = location;
            }

            return Task.CompletedTask;
        });

        var headers = result.Response.GetProperty("multiValueHeaders");
        Assert.Equal(status, result.StatusCode);
        Assert.Equal("", result.Body);
        var contentType = Assert.Single(headers.GetProperty("Content-Type").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, contentType.ValueKind);
        Assert.Equal(location is null, !headers.TryGetProperty("Location", out _));
    }

    [Fact]
    public async Task Rest_api_response_keeps_the_content_type_the_app_set()
    {
        var result = await Translate.InvokeAsync(TestEvents.Load(TestEvents.RestApi), context =>
        {
            context.Response.StatusCode = StatusCodes.Status202Accepted;
            context.Response.Headers.ContentType = "text/plain";
            return Task.CompletedTask;
        });

        var contentType = Assert.Single(result.Response.GetProperty("multiValueHeaders").EnumerateObject(), header => header.Name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(["text/plain"], contentType.Value.EnumerateArray().Select(value => value.GetString()));
    }

    [Theory]
    [InlineData(TestEvents.HttpApi)]
    [InlineData(TestEvents.FunctionUrl)]
    [InlineData(TestEvents.Alb)]
    public async Task Other_sources_get_no_content_type_the_app_did_not_set(string source)
    {
        var result = await Translate.InvokeAsync(TestEvents.Load(source), context =>
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        });

        Assert.False(result.Response.GetProperty("headers").TryGetProperty("Content-Type", out _));
    }

    private static void SetMethod(JsonObject root, string method)
    {
        if (root["requestContext"]?["http"] is JsonObject http)
        {
            http["method"] = method;
        }
        else
        {
            root["httpMethod"] = method;
        }
    }
}
