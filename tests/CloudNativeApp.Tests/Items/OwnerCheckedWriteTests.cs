namespace CloudNativeApp.Tests.Items;

/// <summary>
/// <c>Auth:OwnerWrites=true</c> is decided on the item the conditional write read: one read per write attempt, and
/// the owner it checks is the owner of the version it writes.
/// </summary>
public sealed class OwnerCheckedWriteTests
{
    private const string Alice = "alice";

    public static TheoryData<string> Methods => new() { "PUT", "PATCH", "DELETE" };

    [Fact]
    public async Task Each_write_reads_the_item_once()
    {
        var (app, store) = App();
        await using var _ = app;
        var client = app.CreateClient();
        var id = await CreateAsync(client);

        var reads = new List<(string Caller, string Method, HttpStatusCode Status, int Reads)>();
        foreach (var caller in new[] { "bob", Alice })
        {
            foreach (var method in Methods)
            {
                var before = store.Reads;
                using var response = await client.SendAsync(Change(method, id, caller));
                reads.Add((caller, method, response.StatusCode, store.Reads - before));
            }
        }

        Assert.Equal(
            [
                ("bob", "PUT", HttpStatusCode.Forbidden, 1), ("bob", "PATCH", HttpStatusCode.Forbidden, 1), ("bob", "DELETE", HttpStatusCode.Forbidden, 1),
                (Alice, "PUT", HttpStatusCode.OK, 1), (Alice, "PATCH", HttpStatusCode.OK, 1), (Alice, "DELETE", HttpStatusCode.NoContent, 1),
            ],
            reads);
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public async Task An_owner_change_after_the_read_fails_the_write_and_the_retry_refuses_it(string method)
    {
        var (app, store) = App();
        await using var _ = app;
        var client = app.CreateClient();
        var id = await CreateAsync(client);

        // Another writer (not this API: createdBy is not a field a request can set) hands the item to mallory just
        // after this write has read it, so the write's version is stale before it is made.
        store.AfterNextRead = read => store.Inner.ReplaceAsync(read with { CreatedBy = "mallory" }, CancellationToken.None);
        var before = store.Reads;
        using var response = await client.SendAsync(Change(method, id, Alice));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(2, store.Reads - before); // the lost attempt and the retry, one read each
        var item = await client.GetFromJsonAsync<JsonElement>($"/items/{id}");
        Assert.Equal(("mallory", 1), (item.GetProperty("createdBy").GetString(), item.GetProperty("version").GetInt32()));
    }

    private static (WebApplicationFactory<Program> App, ReadCountingItemRepository Store) App()
    {
        var app = GatewayIdentity.App(("Auth:OwnerWrites", "true")).WithWebHostBuilder(host => host.ConfigureTestServices(services =>
        {
            services.AddSingleton(provider => new ReadCountingItemRepository(provider.GetRequiredService<InMemoryItemRepository>()));
            services.AddSingleton<IItemRepository>(provider => provider.GetRequiredService<ReadCountingItemRepository>());
        }));
        return (app, app.Services.GetRequiredService<ReadCountingItemRepository>());
    }

    private static async Task<string> CreateAsync(HttpClient client)
    {
        using var response = await client.SendAsync(As(Alice, new HttpRequestMessage(HttpMethod.Post, "/items") { Content = Json("""{"name":"owned"}""", "application/json") }));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private static HttpRequestMessage Change(string method, string id, string caller) => As(caller, new HttpRequestMessage(new HttpMethod(method), $"/items/{id}")
    {
        Content = method switch
        {
            "PUT" => Json("""{"name":"replaced"}""", "application/json"),
            "PATCH" => Json("""{"description":"patched"}""", "application/merge-patch+json"),
            _ => null,
        },
    });

    private static StringContent Json(string json, string mediaType) => new(json, Encoding.UTF8, mediaType);

    private static HttpRequestMessage As(string caller, HttpRequestMessage request) => GatewayIdentity.As(request, GatewayIdentity.SubjectHeader, caller);
}
