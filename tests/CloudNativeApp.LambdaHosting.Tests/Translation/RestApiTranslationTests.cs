namespace CloudNativeApp.LambdaHosting.Tests.Translation;

public sealed class RestApiTranslationTests
{
    [Fact]
    public async Task Response_uses_multi_value_headers_so_every_cookie_survives()
    {
        var result = await Translate.InvokeAsync(TestEvents.Load(TestEvents.RestApi), async context =>
        {
            context.Response.StatusCode = StatusCodes.Status201Created;
            context.Response.Cookies.Append("a", "1");
            context.Response.Cookies.Append("b", "2");
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"ok":true}""");
        });

        Assert.Equal(201, result.StatusCode);
        Assert.Equal("""{"ok":true}""", result.Body);
        Assert.False(result.IsBase64Encoded);
        var headers = result.Response.GetProperty("multiValueHeaders");
        Assert.Equal(["a=1; path=/", "b=2; path=/"], headers.GetProperty("Set-Cookie").EnumerateArray().Select(value => value.GetString()));
        Assert.Equal("application/json", headers.GetProperty("Content-Type")[0].GetString());
        Assert.False(result.Response.TryGetProperty("headers", out _));
    }

    [Theory]
    [InlineData("/Prod/swagger/index.html", "/swagger/index.html", "/Prod", "/swagger/index.html")]
    [InlineData("/Prod/", "/", "/Prod", "/")]
    [InlineData("/Prod", "/", "/Prod", "/")]
    [InlineData("/", "/", "", "/")]
    [InlineData("/basepath/items/1", "/items/1", "/basepath", "/items/1")]
    [InlineData("/items/1", "/items/1", "", "/items/1")]
    public async Task Stage_or_base_path_prefix_becomes_PathBase(string contextPath, string path, string expectedPathBase, string expectedPath)
    {
        var result = await Translate.InvokeAsync(TestEvents.Edit(TestEvents.RestApi, root =>
        {
            root["path"] = path;
            root["requestContext"]!["path"] = contextPath;
            root["requestContext"]!["stage"] = "Prod";
        }));

        Assert.Equal(expectedPathBase, result.Request!.PathBase);
        Assert.Equal(expectedPath, result.Request.Path);
    }

    [Fact]
    public async Task Percent_encoded_path_is_decoded_except_slashes_and_raw_target_keeps_the_original()
    {
        var result = await Translate.InvokeAsync(TestEvents.Edit(TestEvents.RestApi, root =>
        {
            root["path"] = "/files/a%20b%2Fc%C3%BC";
            root["requestContext"]!["path"] = "/Prod/files/a%20b%2Fc%C3%BC";
            root["multiValueQueryStringParameters"] = null;
            root["queryStringParameters"] = null;
        }));

        Assert.Equal("/files/a b%2Fcü", result.Request!.Path);
        Assert.Equal("/Prod", result.Request.PathBase);
        Assert.Equal("/Prod/files/a%20b%2Fc%C3%BC", result.Request.RawTarget);
        Assert.Equal("", result.Request.QueryString);
    }

    [Fact]
    public async Task Decoded_query_values_with_reserved_characters_round_trip()
    {
        var result = await Translate.InvokeAsync(TestEvents.Edit(TestEvents.RestApi, root =>
        {
            root["multiValueQueryStringParameters"] = new JsonObject
            {
                ["q"] = new JsonArray("a&b=c", "ü €", "100%"),
                ["name with space"] = new JsonArray("x+y"),
            };
        }));

        Assert.Equal(["a&b=c", "ü €", "100%"], result.Request!.Query["q"]);
        Assert.Equal(["x+y"], result.Request.Query["name with space"]);
    }

    [Fact]
    public async Task Single_value_maps_are_used_when_multi_value_maps_are_absent()
    {
        var result = await Translate.InvokeAsync(TestEvents.Edit(TestEvents.RestApi, root =>
        {
            root.Remove("multiValueHeaders");
            root.Remove("multiValueQueryStringParameters");
        }));

        Assert.Equal("value2", result.Request!.Header("Header2"));
        Assert.Equal(["value1"], result.Request.Query["parameter1"]);
    }

    [Fact]
    public async Task Source_ip_and_forwarded_headers_set_the_connection()
    {
        var result = await Translate.InvokeAsync(TestEvents.Edit(TestEvents.RestApi, root =>
        {
            root["requestContext"]!["identity"]!["sourceIp"] = "203.0.113.7";
            root["multiValueHeaders"] = new JsonObject
            {
                ["Host"] = new JsonArray("api.example.com"),
                ["X-Forwarded-Proto"] = new JsonArray("http"),
                ["X-Forwarded-Port"] = new JsonArray("8080"),
            };
        }));

        Assert.Equal("203.0.113.7", result.Request!.RemoteIp);
        Assert.Equal("api.example.com", result.Request.Host);
        Assert.Equal("http", result.Request.Scheme);
        Assert.Equal(8080, result.Request.LocalPort);
    }

    [Fact]
    public async Task Request_without_body_has_no_content_length()
    {
        var result = await Translate.InvokeAsync(TestEvents.Edit(TestEvents.RestApi, root => root["body"] = null));

        Assert.Empty(result.Request!.Body);
        Assert.Null(result.Request.ContentLength);
    }

    [Fact]
    public async Task Minimal_hand_written_event_is_a_REST_API_request()
    {
        var result = await Translate.InvokeAsync("""{"httpMethod":"DELETE","path":"/items/42","headers":{"Accept":"application/json"}}"""u8.ToArray());

        Assert.Equal(LambdaEventSource.RestApi, result.Request!.Source);
        Assert.Equal("DELETE", result.Request.Method);
        Assert.Equal("/items/42", result.Request.Path);
        Assert.Equal("application/json", result.Request.Header("Accept"));
        Assert.Equal("https", result.Request.Scheme);
        Assert.False(result.Request.User.Identity!.IsAuthenticated);
    }
}
