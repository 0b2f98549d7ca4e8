namespace CloudNativeApp.Tests.Items;

/// <summary><c>GET /items/export</c> against each store: every unexpired item once, as NDJSON, page by page.</summary>
public abstract class ItemsExportContract(ItemsApp app)
{
    protected HttpClient Client { get; } = app.CreateClient();

    private static string NewCategory() => $"x-{Guid.NewGuid():N}"[..30];

    [Fact]
    public async Task A_category_is_exported_as_ndjson_with_every_unexpired_item_exactly_once_over_several_pages()
    {
        var category = NewCategory();
        var created = new List<string>();
        for (var i = 0; i < 2 * CloudNativeApp.Items.ItemExport.PageSize + 5; i++)
        {
            created.Add((await Client.CreateItemAsync(new { name = $"export {i}", category })).Id());
        }

        var expiring = await Client.CreateItemAsync(new { name = "expiring", category, expiresAt = app.Clock.GetUtcNow().AddSeconds(30) });
        await Client.CreateItemAsync(new { name = "elsewhere", category = NewCategory() });
        app.Clock.Advance(TimeSpan.FromMinutes(1));

        using var response = await Client.GetAsync($"/items/export?category={category}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        var lines = await ReadLinesAsync(response);
        Assert.Equal(created.Order(), lines.Select(item => item.Id()).Order());
        Assert.DoesNotContain(expiring.Id(), lines.Select(item => item.Id()));
        Assert.All(lines, item => Assert.Equal(category, item["category"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Each_line_is_the_json_of_get_item()
    {
        var category = NewCategory();
        var created = await Client.CreateItemAsync(new { name = "Lamp", description = "Line one\nline \"two\"", category, tags = new[] { "a", "b" } });

        using var export = await Client.GetAsync($"/items/export?category={category}");
        using var read = await Client.GetAsync($"/items/{created.Id()}");

        Assert.Equal(await read.Content.ReadAsStringAsync() + "\n", await export.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Without_a_category_every_item_is_exported_once()
    {
        var created = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            created.Add((await Client.CreateItemAsync(new { name = $"all {i}", category = NewCategory() })).Id());
        }

        using var response = await Client.GetAsync("/items/export");

        var ids = (await ReadLinesAsync(response)).Select(item => item.Id()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Subset(ids.ToHashSet(), created.ToHashSet());
    }

    [Fact]
    public async Task An_empty_category_is_an_empty_export()
    {
        using var response = await Client.GetAsync($"/items/export?category={NewCategory()}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_invalid_category_is_a_validation_problem()
    {
        using var response = await Client.GetAsync("/items/export?category=no%20spaces");

        await response.AssertValidationErrorAsync("category");
    }

    private static async Task<List<JsonObject>> ReadLinesAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(text.Length == 0 || text.EndsWith('\n'), "Every line, the last too, ends with a newline.");
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonNode.Parse(line)!.AsObject())];
    }
}

public sealed class InMemoryItemsExportTests(InMemoryItemsApp fixture) : ItemsExportContract(fixture.App), IClassFixture<InMemoryItemsApp>;

public sealed class DynamoDbItemsExportTests(DynamoDbItemsApp fixture) : ItemsExportContract(fixture.App), IClassFixture<DynamoDbItemsApp>;

/// <summary>
/// How the export reads and sends: a page at a time, and not a page more once the client has gone. The store is the
/// in-memory one, wrapped to hold the second page back, which is the only way to see the first one arrive alone.
/// </summary>
public sealed class ItemsExportStreamingTests(InMemoryItemsApp fixture) : IClassFixture<InMemoryItemsApp>, IAsyncLifetime
{
    private readonly HeldBackRepository held = new();
    private Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> factory = null!;

    public Task InitializeAsync()
    {
        factory = fixture.App.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
            services.AddSingleton<IItemRepository>(provider => held.Wrap(provider.GetRequiredService<InMemoryItemRepository>()))));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    [Fact]
    public async Task The_first_page_arrives_before_the_next_is_read_and_a_client_that_leaves_stops_the_export()
    {
        using var client = factory.CreateClient();
        for (var i = 0; i < CloudNativeApp.Items.ItemExport.PageSize + 1; i++)
        {
            using var created = await client.PostAsJsonAsync("/items", new { name = $"held {i}", category = "held" });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        held.HoldAfterFirstPage();
        using (var response = await client.GetAsync("/items/export?category=held", HttpCompletionOption.ResponseHeadersRead))
        {
            var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            for (var i = 0; i < CloudNativeApp.Items.ItemExport.PageSize; i++)
            {
                Assert.NotNull(await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)));
            }

            // A full page went out while the second page was still being read.
            await held.SecondPageRequested.WaitAsync(TimeSpan.FromSeconds(30));
        }

        // Leaving cancels the read in progress, and nothing more is read.
        await held.SecondPageCancelled.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(2, held.Reads);
    }

    private sealed class HeldBackRepository
    {
        private readonly TaskCompletionSource secondPageRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource secondPageCancelled = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private bool holding;
        private int reads;

        public Task SecondPageRequested => secondPageRequested.Task;

        public Task SecondPageCancelled => secondPageCancelled.Task;

        public int Reads => Volatile.Read(ref reads);

        public void HoldAfterFirstPage() => holding = true;

        public IItemRepository Wrap(IItemRepository inner) => new Wrapper(this, inner);

        private sealed class Wrapper(HeldBackRepository owner, IItemRepository inner) : IItemRepository
        {
            public async Task<ItemPage> ListAsync(string? category, int limit, string? pageToken, CancellationToken cancellationToken)
            {
                if (owner.holding && Interlocked.Increment(ref owner.reads) > 1)
                {
                    owner.secondPageRequested.TrySetResult();
                    try
                    {
                        await Task.Delay(Timeout.Infinite, cancellationToken);
                    }
                    catch (OperationCanceledException)
                    {
                        owner.secondPageCancelled.TrySetResult();
                        throw;
                    }
                }

                return await inner.ListAsync(category, limit, pageToken, cancellationToken);
            }

            public Task<Item?> FindAsync(string id, CancellationToken cancellationToken) => inner.FindAsync(id, cancellationToken);

            public Task<Item> AddAsync(Item item, CancellationToken cancellationToken) => inner.AddAsync(item, cancellationToken);

            public Task<Item?> ReplaceAsync(Item item, CancellationToken cancellationToken) => inner.ReplaceAsync(item, cancellationToken);

            public Task<bool> RemoveAsync(string id, int expectedVersion, CancellationToken cancellationToken) => inner.RemoveAsync(id, expectedVersion, cancellationToken);

            public Task CheckAvailabilityAsync(CancellationToken cancellationToken) => inner.CheckAvailabilityAsync(cancellationToken);
        }
    }
}
