namespace CloudNativeApp.LambdaHosting.Tests.Translation;

public sealed class AlbTranslationTests
{
    [Fact]
    public async Task Single_value_request_gets_a_single_value_response_with_status_description()
    {
        var result = await Translate.InvokeAsync(TestEvents.Load(TestEvents.Alb), async context =>
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync("missing");
        });

        Assert.Equal(404, result.StatusCode);
        Assert.Equal("404 Not Found", result.Response.GetProperty("statusDescription").GetString());
        Assert.Equal("text/plain", result.Response.GetProperty("headers").GetProperty("Content-Type").GetString());
        Assert.False(result.Response.TryGetProperty("multiValueHeaders", out _));
        Assert.Equal("missing", result.Body);
    }

    [Fact]
    public async Task Single_value_mode_keeps_every_cookie_under_distinct_spellings()
    {
        var result = await Translate.InvokeAsync(TestEvents.Load(TestEvents.Alb), context =>
        {
            context.Response.Cookies.Append("a", "1");
            context.Response.Cookies.Append("b", "2");
            context.Response.Cookies.Append("c", "3");
            return Task.CompletedTask;
        });

        var cookies = result.Response.GetProperty("headers").EnumerateObject()
            .Where(header => header.Name.Equals("set-cookie", StringComparison.OrdinalIgnoreCase))
            .ToList();
        Assert.Equal(3, cookies.Select(cookie => cookie.Name).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(["a=1; path=/", "b=2; path=/", "c=3; path=/"], cookies.Select(cookie => cookie.Value.GetString()));
    }

    [Fact]
    public async Task Multi_value_request_gets_a_multi_value_response_and_raw_query_values()
    {
        var result = await Translate.InvokeAsync(
            TestEvents.Edit(TestEvents.Alb, root =>
            {
                var headers = root["headers"]!.AsObject();
                var multi = new JsonObject();
                foreach (var (name, value) in headers)
                {
                    multi[name] = new JsonArray(value!.GetValue<string>());
                }

                multi["x-forwarded-for"] = new JsonArray("10.0.0.1, 198.51.100.4");
                multi["accept"] = new JsonArray("text/html", "application/json");
                root.Remove("headers");
                root["multiValueHeaders"] = multi;
                root.Remove("queryStringParameters");
                root["multiValueQueryStringParameters"] = new JsonObject { ["q"] = new JsonArray("a%20b", "c%26d") };
            }),
            context =>
            {
                context.Response.Headers.Append("X-Multi", "one");
                context.Response.Headers.Append("X-Multi", "two");
                return Task.CompletedTask;
            });

        Assert.Equal(["a b", "c&d"], result.Request!.Query["q"]);
        Assert.Equal("text/html|application/json", result.Request.Header("accept"));
        Assert.Equal("198.51.100.4", result.Request.RemoteIp); // the entry the load balancer appended
        Assert.Equal(["one", "two"], result.Response.GetProperty("multiValueHeaders").GetProperty("X-Multi").EnumerateArray().Select(value => value.GetString()));
        Assert.False(result.Response.TryGetProperty("headers", out _));
        Assert.Equal("200 OK", result.Response.GetProperty("statusDescription").GetString());
    }
}
