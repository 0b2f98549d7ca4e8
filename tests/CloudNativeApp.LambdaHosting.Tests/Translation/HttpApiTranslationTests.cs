namespace CloudNativeApp.LambdaHosting.Tests.Translation;

public sealed class HttpApiTranslationTests
{
    [Fact]
    public async Task Comma_joined_header_stays_one_value_that_splits_with_trimming()
    {
        string[]? split = null;
        var result = await Translate.InvokeAsync(
            TestEvents.Edit(TestEvents.HttpApi, root => root["headers"]!["accept"] = "text/html, application/json,  */*"),
            context =>
            {
                split = context.Request.Headers.GetCommaSeparatedValues("accept");
                return Task.CompletedTask;
            });

        Assert.Equal("value1,value2", result.Request!.Header("Header2"));
        Assert.Equal(["text/html", "application/json", "*/*"], split!);
    }

    [Fact]
    public async Task Encoded_path_and_query_are_decoded_like_Kestrel_does()
    {
        var result = await Translate.InvokeAsync(TestEvents.Edit(TestEvents.HttpApi, root =>
        {
            root["rawPath"] = "/items/a%20b%2F%E2%82%AC";
            root["rawQueryString"] = "q=a%26b%3Dc&q=%C3%BC+x&empty=";
        }));

        Assert.Equal("/items/a b%2F€", result.Request!.Path);
        Assert.Equal("/items/a%20b%2F%E2%82%AC?q=a%26b%3Dc&q=%C3%BC+x&empty=", result.Request.RawTarget);
        Assert.Equal(["a&b=c", "ü x"], result.Request.Query["q"]);
        Assert.Equal([""], result.Request.Query["empty"]);
    }

    [Fact]
    public async Task Response_puts_cookies_in_the_cookies_array_and_joins_other_repeated_headers()
    {
        var result = await Translate.InvokeAsync(TestEvents.Load(TestEvents.HttpApi), context =>
        {
            context.Response.Cookies.Append("session", "abc", new CookieOptions { HttpOnly = true, Secure = true });
            context.Response.Cookies.Append("theme", "dark");
            context.Response.Headers.Append("Vary", "Accept");
            context.Response.Headers.Append("Vary", "Origin");
            context.Response.StatusCode = StatusCodes.Status202Accepted;
            return Task.CompletedTask;
        });

        Assert.Equal(202, result.StatusCode);
        Assert.Equal(["session=abc; path=/; secure; httponly", "theme=dark; path=/"], result.Response.GetProperty("cookies").EnumerateArray().Select(cookie => cookie.GetString()));
        var headers = result.Response.GetProperty("headers");
        Assert.False(headers.TryGetProperty("Set-Cookie", out _));
        Assert.Equal("Accept, Origin", headers.GetProperty("Vary").GetString());
        Assert.Equal("", result.Body);
        Assert.False(result.IsBase64Encoded);
    }

    [Fact]
    public async Task Event_without_version_is_recognised_by_its_shape()
    {
        var result = await Translate.InvokeAsync(TestEvents.Edit(TestEvents.HttpApi, root => root.Remove("version")));

        Assert.Equal(LambdaEventSource.HttpApi, result.Request!.Source);
        Assert.Equal("/my/path", result.Request.Path);
    }
}
