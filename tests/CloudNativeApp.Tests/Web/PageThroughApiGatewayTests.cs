namespace CloudNativeApp.Tests.Web;

/// <summary>
/// The page through API Gateway (REST API v1, stage "Prod") and the Lambda hosting layer: what a browser opening
/// https://{api}.execute-api.{region}.amazonaws.com/Prod/ receives.
/// </summary>
public sealed class PageThroughApiGatewayTests(LambdaAppFixture lambda) : IClassFixture<LambdaAppFixture>
{
    private InProcessLambdaServer Server => lambda.Server;

    private static readonly Uri StageRoot = new("https://abc123.execute-api.eu-west-1.amazonaws.com/Prod/");

    [Fact]
    public async Task The_page_is_html_text_that_pins_its_base_url_to_the_stage()
    {
        var response = await GetAsync("/");

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("text/html; charset=utf-8", response.Header("Content-Type"));
        Assert.Equal("no-cache", response.Header("Cache-Control"));
        Assert.False(response.IsBase64Encoded);
        Assert.Contains("<base href=\"/Prod/\">", response.Text, StringComparison.Ordinal);
        Assert.Contains("<title>CloudNativeApp</title>", response.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_url_the_page_loads_resolves_under_the_stage_with_its_content_type()
    {
        var page = await GetAsync("/");
        var html = page.Text;
        var urls = StaticFilesTests.AssetUrls(html)
            .Concat(ImportMapUrls(html))
            .Append("swagger/index.html")
            .Distinct()
            .ToArray();
        Assert.Contains(urls, url => url.StartsWith("js/app.js?v=", StringComparison.Ordinal));
        Assert.Contains(urls, url => url.StartsWith("js/items.js?v=", StringComparison.Ordinal));
        Assert.Contains(urls, url => url.StartsWith("apple-touch-icon.png?v=", StringComparison.Ordinal));

        foreach (var url in urls)
        {
            // As the browser resolves it against <base href="/Prod/">; API Gateway strips the stage from "path".
            var absolute = new Uri(StageRoot, url);
            Assert.StartsWith("/Prod/", absolute.AbsolutePath, StringComparison.Ordinal);
            var response = await GetAsync(absolute.PathAndQuery["/Prod".Length..]);

            Assert.True(response.StatusCode == 200, $"{url}: {response.StatusCode}");
            var type = response.Header("Content-Type");
            switch (Path.GetExtension(absolute.AbsolutePath))
            {
                case ".png":
                    Assert.Equal("image/png", type);
                    Assert.True(response.IsBase64Encoded, $"{url} must be base64");
                    Assert.Equal(File.ReadAllBytes(WwwRoot(absolute.AbsolutePath["/Prod/".Length..])), response.Bytes);
                    break;
                case ".html":
                    Assert.Equal("text/html", type.Split(';')[0]);
                    Assert.False(response.IsBase64Encoded);
                    break;
                default:
                    Assert.Equal(StaticFilesTests.ExpectedType(url), type);
                    Assert.False(response.IsBase64Encoded, $"{url} is text and must stay text");
                    Assert.Equal(File.ReadAllText(WwwRoot(absolute.AbsolutePath["/Prod/".Length..])), response.Text);
                    Assert.Equal("public, max-age=31536000, immutable", response.Header("Cache-Control"));
                    break;
            }
        }
    }

    [Fact]
    public async Task Assets_are_left_uncompressed_for_api_gateway_to_compress()
    {
        var response = await GetAsync("/css/app.css", new Dictionary<string, string> { ["Accept-Encoding"] = "gzip, deflate, br" });

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("<absent>", response.Header("Content-Encoding"));
        Assert.False(response.IsBase64Encoded);
        Assert.StartsWith("/* CloudNativeApp", response.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_api_the_page_calls_answers_under_the_stage()
    {
        var response = await GetAsync("/items?limit=10");

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("application/json", response.Header("Content-Type").Split(';')[0]);
        Assert.False(response.IsBase64Encoded);
        Assert.Equal(JsonValueKind.Array, JsonDocument.Parse(response.Text).RootElement.GetProperty("items").ValueKind);
    }

    private async Task<RestApiResponse> GetAsync(string path, IDictionary<string, string>? headers = null) =>
        new(await Server.InvokeAsync(RestApiEvent(path, headers: headers)));

    private static string[] ImportMapUrls(string html)
    {
        var start = html.IndexOf("<script type=\"importmap\">", StringComparison.Ordinal) + "<script type=\"importmap\">".Length;
        var json = html[start..html.IndexOf("</script>", start, StringComparison.Ordinal)];
        return JsonDocument.Parse(json).RootElement.GetProperty("imports").EnumerateObject().Select(entry => entry.Value.GetString()![2..]).ToArray();
    }

    private static string WwwRoot(string relativePath) =>
        Path.Combine(RepositoryRoot.Path, "src", "CloudNativeApp", "wwwroot", relativePath);

    internal static byte[] RestApiEvent(string path, string stage = "Prod", IDictionary<string, string>? headers = null)
    {
        var pathOnly = path.Split('?')[0];
        var query = path.Contains('?', StringComparison.Ordinal) ? path[(path.IndexOf('?', StringComparison.Ordinal) + 1)..] : "";
        var queryParameters = new JsonObject();
        var multiQuery = new JsonObject();
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=', 2);
            var value = Uri.UnescapeDataString(parts.Length > 1 ? parts[1] : "");
            queryParameters[parts[0]] = value;
            multiQuery[parts[0]] = new JsonArray(value);
        }

        var headerObject = new JsonObject { ["Host"] = "abc123.execute-api.eu-west-1.amazonaws.com", ["Accept"] = "*/*", ["X-Forwarded-Proto"] = "https" };
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            headerObject[name] = value;
        }

        var multiHeaders = new JsonObject();
        foreach (var (name, value) in headerObject)
        {
            multiHeaders[name] = new JsonArray(value!.GetValue<string>());
        }

        var evt = new JsonObject
        {
            ["resource"] = "/{proxy+}",
            ["path"] = pathOnly,
            ["httpMethod"] = "GET",
            ["headers"] = headerObject,
            ["multiValueHeaders"] = multiHeaders,
            ["queryStringParameters"] = query.Length == 0 ? null : queryParameters,
            ["multiValueQueryStringParameters"] = query.Length == 0 ? null : multiQuery,
            ["pathParameters"] = new JsonObject { ["proxy"] = pathOnly.TrimStart('/') },
            ["stageVariables"] = null,
            ["requestContext"] = new JsonObject
            {
                ["resourcePath"] = "/{proxy+}",
                ["httpMethod"] = "GET",
                ["path"] = $"/{stage}{pathOnly}",
                ["stage"] = stage,
                ["protocol"] = "HTTP/1.1",
                ["requestId"] = Guid.NewGuid().ToString(),
                ["accountId"] = "123456789012",
                ["apiId"] = "abc123",
                ["domainName"] = "abc123.execute-api.eu-west-1.amazonaws.com",
                ["identity"] = new JsonObject { ["sourceIp"] = "203.0.113.7", ["userAgent"] = "Mozilla/5.0" },
                ["requestTimeEpoch"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            },
            ["body"] = null,
            ["isBase64Encoded"] = false,
        };
        return Encoding.UTF8.GetBytes(evt.ToJsonString());
    }

}

/// <summary>A REST API (v1) proxy integration response.</summary>
internal sealed class RestApiResponse(JsonElement json)
{
    public int StatusCode => json.GetProperty("statusCode").GetInt32();

    public bool IsBase64Encoded => json.TryGetProperty("isBase64Encoded", out var value) && value.GetBoolean();

    public byte[] Bytes => IsBase64Encoded ? Convert.FromBase64String(Body) : Encoding.UTF8.GetBytes(Body);

    public string Text => IsBase64Encoded ? throw new InvalidOperationException("The body is base64-encoded.") : Body;

    private string Body => json.GetProperty("body").GetString() ?? "";

    /// <summary>The header from multiValueHeaders or headers, comma-joined; "&lt;absent&gt;" when missing.</summary>
    public string Header(string name)
    {
        foreach (var property in new[] { "multiValueHeaders", "headers" })
        {
            if (json.TryGetProperty(property, out var headers) && headers.ValueKind == JsonValueKind.Object)
            {
                foreach (var header in headers.EnumerateObject())
                {
                    if (string.Equals(header.Name, name, StringComparison.OrdinalIgnoreCase))
                    {
                        return header.Value.ValueKind == JsonValueKind.Array
                            ? string.Join(", ", header.Value.EnumerateArray().Select(value => value.GetString()))
                            : header.Value.GetString() ?? "";
                    }
                }
            }
        }

        return "<absent>";
    }
}

/// <summary>The app as Lambda hosts it: its server is the Lambda hosting layer, fed events instead of sockets.</summary>
public sealed class LambdaAppFixture : IAsyncLifetime
{
    private LambdaAppFactory Factory { get; } = new();

    public InProcessLambdaServer Server => (InProcessLambdaServer)Factory.Services.GetRequiredService<IServer>();

    public Task InitializeAsync()
    {
        // Not TestServer: WebApplicationFactory then keeps the IServer the app registers, which here is the Lambda one.
        Factory.StartOnLoopback();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Factory.DisposeAsync();

    private sealed class LambdaAppFactory : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            // Auth and rate limits stay as deployed (the identity comes from API Gateway), unlike InMemoryAppFactory's.
            InMemoryAppFactory.UseTestHostDefaults(builder);
            // What Lambda sets; the app then leaves compression to API Gateway.
            builder.UseSetting("AWS_LAMBDA_FUNCTION_NAME", "cloudnativeapp-web-tests");
        }

        // Registered last (after the factory's Kestrel), the way AddLambdaHosting replaces the server in Lambda.
        protected override IHost CreateHost(IHostBuilder builder)
        {
            builder.ConfigureServices(services =>
            {
                services.RemoveAll<IServer>();
                services.AddSingleton<IServer, InProcessLambdaServer>();
            });
            return base.CreateHost(builder);
        }
    }
}
