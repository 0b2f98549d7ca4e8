namespace CloudNativeApp.LambdaHosting.Tests.Translation;

/// <summary>
/// The AWS documentation's example event of each source becomes the request it describes: the request line, host,
/// remote address and body that every source has, then what only that source's example carries.
/// </summary>
public sealed class DocumentationExampleTests
{
    [Theory]
    [InlineData(TestEvents.RestApi)]
    [InlineData(TestEvents.HttpApi)]
    [InlineData(TestEvents.FunctionUrl)]
    [InlineData(TestEvents.Alb)]
    public async Task Documentation_example_becomes_the_request_it_describes(string eventFile)
    {
        var expected = DocumentationExample.Of[eventFile];
        var result = await Translate.InvokeAsync(TestEvents.Load(eventFile));

        Assert.Equal(LambdaInvocationKind.HttpResponse, result.Kind);
        var request = result.Request!;
        Assert.Equal(expected.Source, request.Source);
        Assert.Equal(expected.Method, request.Method);
        Assert.Equal("https", request.Scheme);
        Assert.Equal("", request.PathBase);
        Assert.Equal(expected.Path, request.Path);
        Assert.Equal(expected.QueryString, request.QueryString);
        Assert.Equal(expected.Host, request.Host);
        Assert.Equal(expected.RemoteIp, request.RemoteIp);
        Assert.Equal(expected.Body, System.Text.Encoding.UTF8.GetString(request.Body));
        Assert.Equal((long?)expected.Body.Length, request.ContentLength);
        expected.AlsoHolds(request);
    }

    /// <summary>One source's example event and the request it describes.</summary>
    private sealed record DocumentationExample(
        string EventFile,
        LambdaEventSource Source,
        string Method,
        string Path,
        string QueryString,
        string Host,
        string? RemoteIp,
        string Body,
        Action<SeenRequest> AlsoHolds)
    {
        private const string DocumentedQuery = "?parameter1=value1&parameter1=value2&parameter2=value";

        public static readonly Dictionary<string, DocumentationExample> Of = new DocumentationExample[]
        {
            new(TestEvents.RestApi, LambdaEventSource.RestApi, "GET", "/my/path", DocumentedQuery, "id.execute-api.us-east-1.amazonaws.com",
                RemoteIp: null, // "IP" is the documentation's placeholder, not an address
                "Hello from Lambda!", request =>
                {
                    Assert.Equal("HTTP/1.1", request.Protocol);
                    Assert.Equal(["value1", "value2"], request.Query["parameter1"]);
                    Assert.Equal(["value"], request.Query["parameter2"]);
                    Assert.Equal("value1", request.Header("Header1"));
                    Assert.Equal("value1|value2", request.Header("Header2"));
                    Assert.Equal("id=", request.TraceIdentifier);
                    Assert.False(request.User.Identity!.IsAuthenticated);
                    Assert.Equal(System.Text.Json.JsonValueKind.Object, request.EventKind);
                }),
            new(TestEvents.HttpApi, LambdaEventSource.HttpApi, "POST", "/my/path", DocumentedQuery, "id.execute-api.us-east-1.amazonaws.com",
                RemoteIp: null, // "IP" again
                "Hello from Lambda", request =>
                {
                    Assert.Equal(["value1", "value2"], request.Query["parameter1"]);
                    Assert.Equal("cookie1; cookie2", request.Header("Cookie"));
                    Assert.Equal("id", request.TraceIdentifier);
                }),
            new(TestEvents.FunctionUrl, LambdaEventSource.HttpApi, "POST", "/my/path", DocumentedQuery, "<url-id>.lambda-url.us-west-2.on.aws",
                "123.123.123.123", "Hello from client!", request => Assert.Equal("cookie1; cookie2", request.Header("cookie"))),
            new(TestEvents.Alb, LambdaEventSource.Alb, "GET", "/", "", "lambda-846800462-us-east-2.elb.amazonaws.com",
                "72.21.198.66", "request_body", request =>
                {
                    Assert.Equal(443, request.LocalPort);
                    Assert.Empty(request.Query);
                    Assert.False(request.User.Identity!.IsAuthenticated);
                }),
        }.ToDictionary(example => example.EventFile);
    }
}
