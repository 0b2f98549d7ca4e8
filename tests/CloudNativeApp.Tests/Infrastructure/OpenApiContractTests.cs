using CloudNativeApp.Tests.Items;

namespace CloudNativeApp.Tests.Infrastructure;

/// <summary>
/// For every operation, its success case and each error case the document declares, sent for real and checked
/// against the served document (<see cref="OpenApiContract"/>): an undeclared status, media type, body shape or missing
/// header fails. Each test also proves it reached every declared (operation, status) of its kind.
/// </summary>
public sealed class OpenApiContractTests
{
    private const string MissingId = "0123456789abcdef0123456789abcdef";

    /// <summary>Declared statuses no request here can bring about, and why.</summary>
    private static readonly Dictionary<string, string> Unreachable = new()
    {
        ["409"] = "Contention: a write that loses the race with other writes ten times in a row (ConditionalItemWrite); not reproducible on demand.",
    };

    [Fact]
    public async Task Every_operation_answers_its_success_and_client_error_cases_as_documented()
    {
        await using var app = new ItemsApp(new Dictionary<string, string?> { ["Items:Store"] = "InMemory" });
        using var client = app.CreateClient();
        var contract = await OpenApiContract.LoadAsync(client);

        await CalculatorCasesAsync(client, contract);
        await ItemsCasesAsync(client, contract);

        AssertReached(contract, status => status is not ("503" or "401" or "403" or "429"));
    }

    [Fact]
    public async Task Every_items_operation_answers_a_store_outage_with_the_documented_503()
    {
        var settings = ItemsApp.DynamoDbSettings($"http://127.0.0.1:{ClosedPort()}", ItemsApp.NewTableName(), timeoutSeconds: 1);
        settings["Items:CreateTable"] = "false";
        await using var app = new ItemsApp(settings);
        using var client = app.CreateClient();
        var contract = await OpenApiContract.LoadAsync(client);

        foreach (var request in EveryItemsOperation(MissingId))
        {
            Assert.Equal(503, await contract.CheckAsync(client, request));
        }

        AssertReached(contract, status => status == "503");
    }

    [Fact]
    public async Task With_auth_and_rate_limiting_on_writes_answer_401_and_403_and_every_operation_429_as_documented()
    {
        await using var issuer = await LocalTokenIssuer.StartAsync();
        await using var app = SecurityTestHost.Create(
            "Development",
            ("Auth:Mode", "Jwt"),
            ("Auth:Jwt:Authority", issuer.Authority),
            ("Auth:Jwt:Audience", "test-client"),
            ("Auth:Jwt:RequireHttpsMetadata", "false"),
            ("Auth:WriteScope", "items:write"),
            ("RateLimiting:Enabled", "true"),
            ("RateLimiting:PermitsPerMinute", "25"));
        using var client = app.CreateClient();
        var contract = await OpenApiContract.LoadAsync(client);
        var readOnly = issuer.CreateToken("reader", scope: "items:read");

        foreach (var write in EveryItemsOperation(MissingId).Where(request => request.Method != HttpMethod.Get))
        {
            Assert.Equal(401, await contract.CheckAsync(client, write));
        }

        foreach (var write in EveryItemsOperation(MissingId).Where(request => request.Method != HttpMethod.Get))
        {
            write.Headers.Authorization = new AuthenticationHeaderValue("Bearer", readOnly);
            Assert.Equal(403, await contract.CheckAsync(client, write));
        }

        // A caller allowed to write spends its window's 25 permits (the limiter runs after authorization, and counts
        // per user), then every operation is refused.
        var writer = new AuthenticationHeaderValue("Bearer", issuer.CreateToken("writer", scope: "items:write"));
        for (var i = 0; i < 25; i++)
        {
            using var spend = new HttpRequestMessage(HttpMethod.Get, "/calculator/add/1/2") { Headers = { Authorization = writer } };
            using var spent = await client.SendAsync(spend);
        }

        foreach (var request in EveryItemsOperation(MissingId).Concat(EveryCalculatorOperation()))
        {
            request.Headers.Authorization = writer;
            Assert.Equal(429, await contract.CheckAsync(client, request));
        }

        AssertReached(contract, status => status is "401" or "403" or "429");
    }

    [Fact]
    public async Task The_check_refuses_an_undeclared_status_a_body_off_its_schema_and_a_missing_required_header()
    {
        await using var app = new ItemsApp(new Dictionary<string, string?> { ["Items:Store"] = "InMemory" });
        using var client = app.CreateClient();
        var contract = await OpenApiContract.LoadAsync(client);
        var item = await client.CreateItemAsync(new { name = "Lamp" });
        static HttpResponseMessage Response(System.Net.HttpStatusCode status, HttpMethod method, string uri, string? json) => new(status)
        {
            RequestMessage = new HttpRequestMessage(method, new Uri(new Uri("http://localhost"), uri)),
            Content = json is null ? new ByteArrayContent([]) : new StringContent(json, Encoding.UTF8, "application/json"),
        };

        using var teapot = Response((System.Net.HttpStatusCode)418, HttpMethod.Get, $"/items/{item.Id()}", null);
        using var partial = Response(System.Net.HttpStatusCode.OK, HttpMethod.Get, $"/items/{item.Id()}", $$"""{"id":"{{item.Id()}}"}""");
        var withExtra = item.DeepClone().AsObject();
        withExtra["surprise"] = 1;
        using var extra = Response(System.Net.HttpStatusCode.OK, HttpMethod.Get, $"/items/{item.Id()}", withExtra.ToJsonString());
        using var noLocation = Response(System.Net.HttpStatusCode.Created, HttpMethod.Post, "/items", item.ToJsonString());
        foreach (var response in (HttpResponseMessage[])[partial, extra, noLocation])
        {
            response.Headers.ETag = new EntityTagHeaderValue("\"0\"");
        }

        Assert.Contains("does not declare", (await Assert.ThrowsAnyAsync<Xunit.Sdk.XunitException>(() => contract.CheckAsync(teapot))).Message, StringComparison.Ordinal);
        Assert.Contains("does not match its schema", (await Assert.ThrowsAnyAsync<Xunit.Sdk.XunitException>(() => contract.CheckAsync(partial))).Message, StringComparison.Ordinal);
        Assert.Contains("does not match its schema", (await Assert.ThrowsAnyAsync<Xunit.Sdk.XunitException>(() => contract.CheckAsync(extra))).Message, StringComparison.Ordinal);
        Assert.Contains("Location", (await Assert.ThrowsAnyAsync<Xunit.Sdk.XunitException>(() => contract.CheckAsync(noLocation))).Message, StringComparison.Ordinal);
    }

    private static async Task CalculatorCasesAsync(HttpClient client, OpenApiContract contract)
    {
        Assert.Equal(200, await contract.CheckAsync(client, Json(HttpMethod.Post, "/calculator", """{"number1":1,"number2":3}""")));
        Assert.Equal(400, await contract.CheckAsync(client, Json(HttpMethod.Post, "/calculator", """{"number1":1,"number2":0}""")));
        Assert.Equal(400, await contract.CheckAsync(client, Json(HttpMethod.Post, "/calculator", """{"number1":""")));
        Assert.Equal(413, await contract.CheckAsync(client, Oversized(HttpMethod.Post, "/calculator")));
        Assert.Equal(415, await contract.CheckAsync(client, Json(HttpMethod.Post, "/calculator", """{"number1":1,"number2":3}""", "text/plain")));
        Assert.Equal(422, await contract.CheckAsync(client, Json(HttpMethod.Post, "/calculator", """{"number1":1e28,"number2":1e28}""")));

        foreach (var (operation, overflow) in ((string, string)[])[("add", "7e28/7e28"), ("subtract", "-7e28/7e28"), ("multiply", "1e28/10"), ("divide", "1e28/0.1")])
        {
            Assert.Equal(200, await contract.CheckAsync(client, new(HttpMethod.Get, $"/calculator/{operation}/0.3333333333333333333333333333/1")));
            Assert.Equal(400, await contract.CheckAsync(client, new(HttpMethod.Get, $"/calculator/{operation}/1,5/1")));
            Assert.Equal(422, await contract.CheckAsync(client, new(HttpMethod.Get, $"/calculator/{operation}/{overflow}")));
        }
    }

    private static async Task ItemsCasesAsync(HttpClient client, OpenApiContract contract)
    {
        var item = await client.CreateItemAsync(new { name = "Lamp", tags = new[] { "a" } });
        var id = item.Id();
        const string body = """{"name":"Desk","description":null,"category":"office","tags":["oak"],"expiresAt":null}""";

        Assert.Equal(201, await contract.CheckAsync(client, Json(HttpMethod.Post, "/items", body, headers: [("Idempotency-Key", "contract-1")])));
        Assert.Equal(400, await contract.CheckAsync(client, Json(HttpMethod.Post, "/items", """{"name":""}""")));
        Assert.Equal(413, await contract.CheckAsync(client, Oversized(HttpMethod.Post, "/items")));
        Assert.Equal(415, await contract.CheckAsync(client, Json(HttpMethod.Post, "/items", body, "text/plain")));
        Assert.Equal(422, await contract.CheckAsync(client, Json(HttpMethod.Post, "/items", """{"name":"Other"}""", headers: [("Idempotency-Key", "contract-1")])));

        Assert.Equal(200, await contract.CheckAsync(client, new(HttpMethod.Get, "/items?limit=2")));
        Assert.Equal(400, await contract.CheckAsync(client, new(HttpMethod.Get, "/items?limit=ten")));
        Assert.Equal(200, await contract.CheckAsync(client, new(HttpMethod.Get, "/items/export")));
        Assert.Equal(400, await contract.CheckAsync(client, new(HttpMethod.Get, "/items/export?category=no%20spaces")));

        Assert.Equal(200, await contract.CheckAsync(client, new(HttpMethod.Get, $"/items/{id}")));
        Assert.Equal(304, await contract.CheckAsync(client, WithHeader(new(HttpMethod.Get, $"/items/{id}"), "If-None-Match", "\"0\"")));
        Assert.Equal(404, await contract.CheckAsync(client, new(HttpMethod.Get, $"/items/{MissingId}")));

        Assert.Equal(200, await contract.CheckAsync(client, Json(HttpMethod.Put, $"/items/{id}", body, headers: [("If-Match", "\"0\"")])));
        Assert.Equal(400, await contract.CheckAsync(client, Json(HttpMethod.Put, $"/items/{id}", """{"name":"x","tags":["a","a"]}""")));
        Assert.Equal(404, await contract.CheckAsync(client, Json(HttpMethod.Put, $"/items/{MissingId}", body)));
        Assert.Equal(412, await contract.CheckAsync(client, Json(HttpMethod.Put, $"/items/{id}", body, headers: [("If-None-Match", "*")])));
        Assert.Equal(413, await contract.CheckAsync(client, Oversized(HttpMethod.Put, $"/items/{id}")));
        Assert.Equal(415, await contract.CheckAsync(client, Json(HttpMethod.Put, $"/items/{id}", body, "text/plain")));

        const string mergePatch = "application/merge-patch+json";
        Assert.Equal(200, await contract.CheckAsync(client, Json(HttpMethod.Patch, $"/items/{id}", """{"description":"Oak"}""", mergePatch)));
        Assert.Equal(400, await contract.CheckAsync(client, Json(HttpMethod.Patch, $"/items/{id}", """{"name":null}""", mergePatch)));
        Assert.Equal(404, await contract.CheckAsync(client, Json(HttpMethod.Patch, $"/items/{MissingId}", "{}", mergePatch)));
        Assert.Equal(412, await contract.CheckAsync(client, Json(HttpMethod.Patch, $"/items/{id}", "{}", mergePatch, [("If-Match", "\"0\"")])));
        Assert.Equal(413, await contract.CheckAsync(client, Oversized(HttpMethod.Patch, $"/items/{id}", mergePatch)));
        Assert.Equal(415, await contract.CheckAsync(client, Json(HttpMethod.Patch, $"/items/{id}", "{}")));

        Assert.Equal(400, await contract.CheckAsync(client, WithHeader(new(HttpMethod.Delete, $"/items/{id}"), "If-Match", "nope")));
        Assert.Equal(412, await contract.CheckAsync(client, WithHeader(new(HttpMethod.Delete, $"/items/{id}"), "If-Match", "\"0\"")));
        Assert.Equal(204, await contract.CheckAsync(client, new(HttpMethod.Delete, $"/items/{id}")));
        Assert.Equal(404, await contract.CheckAsync(client, new(HttpMethod.Delete, $"/items/{id}")));
    }

    /// <summary>One valid request per items operation, on <paramref name="id"/>.</summary>
    private static IEnumerable<HttpRequestMessage> EveryItemsOperation(string id)
    {
        yield return Json(HttpMethod.Post, "/items", """{"name":"x"}""");
        yield return new(HttpMethod.Get, "/items");
        yield return new(HttpMethod.Get, "/items/export");
        yield return new(HttpMethod.Get, $"/items/{id}");
        yield return Json(HttpMethod.Put, $"/items/{id}", """{"name":"x"}""");
        yield return Json(HttpMethod.Patch, $"/items/{id}", """{"name":"x"}""", "application/merge-patch+json");
        yield return new(HttpMethod.Delete, $"/items/{id}");
    }

    private static IEnumerable<HttpRequestMessage> EveryCalculatorOperation()
    {
        yield return Json(HttpMethod.Post, "/calculator", """{"number1":1,"number2":3}""");
        foreach (var operation in (string[])["add", "subtract", "multiply", "divide"])
        {
            yield return new(HttpMethod.Get, $"/calculator/{operation}/1/2");
        }
    }

    /// <summary>Every declared (operation, status) that <paramref name="inScope"/> selects was seen, unless it cannot be brought about.</summary>
    private static void AssertReached(OpenApiContract contract, Func<string, bool> inScope)
    {
        var missed = contract.Declared.Where(declared => inScope(declared.Status) && !Unreachable.ContainsKey(declared.Status)).Except(contract.Seen).ToList();
        Assert.True(missed.Count == 0, $"Declared but never exercised: {string.Join(", ", missed)}");
    }

    private static HttpRequestMessage Json(HttpMethod method, string uri, string json, string contentType = "application/json", params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(method, uri) { Content = new StringContent(json, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    private static HttpRequestMessage Oversized(HttpMethod method, string uri, string contentType = "application/json") =>
        Json(method, uri, $$"""{"name":"{{new string('x', 1024 * 1024)}}"}""", contentType);

    private static HttpRequestMessage WithHeader(HttpRequestMessage request, string name, string value)
    {
        request.Headers.TryAddWithoutValidation(name, value);
        return request;
    }

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port; // closed again on dispose: connections are refused
    }
}
