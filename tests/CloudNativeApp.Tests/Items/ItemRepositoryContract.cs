namespace CloudNativeApp.Tests.Items;

/// <summary>
/// <see cref="IItemRepository"/>'s own contract, below HTTP, where the races and edge cases can be set up
/// exactly: run against the in-memory repository and the DynamoDB one (on dynalite).
/// </summary>
public abstract class ItemRepositoryContract(ItemsApp app)
{
    private IItemRepository Repository { get; } = app.Services.GetRequiredService<IItemRepository>();

    private FakeTimeProvider Clock => app.Clock;

    private Item NewItem(string? category = null, DateTimeOffset? expiresAt = null, string? createdBy = null)
    {
        var now = DateTimeOffset.FromUnixTimeMilliseconds(Clock.GetUtcNow().ToUnixTimeMilliseconds());
        return new Item(
            Guid.NewGuid().ToString("N"), "name", "description", category ?? $"c-{Guid.NewGuid():N}"[..20], ["one", "two"],
            expiresAt is { } at ? DateTimeOffset.FromUnixTimeSeconds(at.ToUnixTimeSeconds()) : null, now, now, 0, createdBy);
    }

    [Fact]
    public async Task Add_then_find_returns_the_same_item_at_version_zero()
    {
        var item = NewItem(expiresAt: Clock.GetUtcNow().AddDays(1), createdBy: "user-123");

        var added = await Repository.AddAsync(item with { Version = 41 }, CancellationToken.None);
        var found = await Repository.FindAsync(item.Id, CancellationToken.None);

        Assert.Equal(0, added.Version);
        Assert.NotNull(found);
        Assert.Equal(Canonical(added), Canonical(found));
        Assert.Equal("user-123", found.CreatedBy);
    }

    [Fact]
    public async Task Find_of_a_missing_id_is_null()
    {
        Assert.Null(await Repository.FindAsync(Guid.NewGuid().ToString("N"), CancellationToken.None));
    }

    [Fact]
    public async Task Replace_at_the_current_version_stores_and_increments_it()
    {
        var added = await Repository.AddAsync(NewItem(), CancellationToken.None);

        var replaced = await Repository.ReplaceAsync(added with { Name = "renamed", Description = null, Tags = [] }, CancellationToken.None);

        Assert.NotNull(replaced);
        Assert.Equal(1, replaced.Version);
        var found = await Repository.FindAsync(added.Id, CancellationToken.None);
        Assert.Equal(Canonical(replaced), Canonical(found!));
        Assert.Null(found!.Description);
        Assert.Empty(found.Tags);
    }

    [Fact]
    public async Task Replace_at_a_stale_version_fails_and_changes_nothing()
    {
        var added = await Repository.AddAsync(NewItem(), CancellationToken.None);
        var first = await Repository.ReplaceAsync(added with { Name = "first" }, CancellationToken.None);

        var stale = await Repository.ReplaceAsync(added with { Name = "second" }, CancellationToken.None);

        Assert.Null(stale);
        Assert.Equal(Canonical(first!), Canonical((await Repository.FindAsync(added.Id, CancellationToken.None))!));
    }

    [Fact]
    public async Task Replace_of_a_deleted_item_does_not_bring_it_back()
    {
        var added = await Repository.AddAsync(NewItem(), CancellationToken.None);
        Assert.True(await Repository.RemoveAsync(added.Id, 0, CancellationToken.None));

        Assert.Null(await Repository.ReplaceAsync(added with { Name = "zombie" }, CancellationToken.None));
        Assert.Null(await Repository.FindAsync(added.Id, CancellationToken.None));
    }

    [Fact]
    public async Task Of_concurrent_replaces_at_the_same_version_exactly_one_succeeds()
    {
        var added = await Repository.AddAsync(NewItem(), CancellationToken.None);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(writer =>
            Task.Run(() => Repository.ReplaceAsync(added with { Name = $"writer {writer}" }, CancellationToken.None))));

        var winner = Assert.Single(results, result => result is not null);
        Assert.Equal(winner!.Name, (await Repository.FindAsync(added.Id, CancellationToken.None))!.Name);
    }

    [Fact]
    public async Task Remove_needs_the_current_version()
    {
        var added = await Repository.AddAsync(NewItem(), CancellationToken.None);
        await Repository.ReplaceAsync(added, CancellationToken.None);

        Assert.False(await Repository.RemoveAsync(added.Id, 0, CancellationToken.None));
        Assert.NotNull(await Repository.FindAsync(added.Id, CancellationToken.None));
        Assert.True(await Repository.RemoveAsync(added.Id, 1, CancellationToken.None));
        Assert.Null(await Repository.FindAsync(added.Id, CancellationToken.None));
        Assert.False(await Repository.RemoveAsync(added.Id, 1, CancellationToken.None));
    }

    [Fact]
    public async Task Expired_items_are_not_found_or_listed()
    {
        var item = NewItem(expiresAt: Clock.GetUtcNow().AddSeconds(30));
        await Repository.AddAsync(item, CancellationToken.None);
        Assert.NotNull(await Repository.FindAsync(item.Id, CancellationToken.None));

        Clock.Advance(TimeSpan.FromSeconds(31));

        Assert.Null(await Repository.FindAsync(item.Id, CancellationToken.None));
        Assert.Empty((await Repository.ListAsync(item.Category, 10, null, CancellationToken.None)).Items);
    }

    [Fact]
    public async Task Pages_fill_up_past_expired_items_and_visit_every_live_item_once()
    {
        var category = $"c-{Guid.NewGuid():N}"[..20];
        List<string> live = [];
        for (var i = 0; i < 15; i++)
        {
            var item = NewItem(category, expiresAt: i % 3 == 0 ? Clock.GetUtcNow().AddSeconds(10) : null);
            await Repository.AddAsync(item, CancellationToken.None);
            if (i % 3 != 0)
            {
                live.Add(item.Id);
            }

            Clock.Advance(TimeSpan.FromMilliseconds(3));
        }

        Clock.Advance(TimeSpan.FromSeconds(11));

        List<ItemPage> pages = [];
        string? token = null;
        do
        {
            var page = await Repository.ListAsync(category, 4, token, CancellationToken.None);
            pages.Add(page);
            token = page.NextToken;
        }
        while (token is not null && pages.Count < 100);

        // Expired items are skipped without leaving holes: every page but the last is full.
        Assert.All(pages.SkipLast(1), page => Assert.Equal(4, page.Items.Count));
        var listed = pages.SelectMany(page => page.Items).Select(item => item.Id).ToList();
        Assert.Equal(live.Order(), listed.Order());
        Assert.Equal(listed.Count, listed.Distinct().Count());
    }

    [Fact]
    public async Task The_page_token_of_one_repository_names_the_last_item_returned()
    {
        var category = $"c-{Guid.NewGuid():N}"[..20];
        for (var i = 0; i < 3; i++)
        {
            await Repository.AddAsync(NewItem(category), CancellationToken.None);
            Clock.Advance(TimeSpan.FromMilliseconds(5));
        }

        var page = await Repository.ListAsync(category, 2, null, CancellationToken.None);

        var key = PageToken.Decode(page.NextToken!, category);
        Assert.Equal(page.Items[^1].Id, key.Id);
        Assert.Equal(PageToken.FormatCreatedAt(page.Items[^1].CreatedAt), key.CreatedAt);
    }

    [Fact]
    public async Task Foreign_tokens_are_rejected()
    {
        var scanToken = PageToken.Encode(new PageKey(Guid.NewGuid().ToString("N")));

        await Assert.ThrowsAsync<InvalidPageTokenException>(() => Repository.ListAsync("books", 5, scanToken, CancellationToken.None));
        await Assert.ThrowsAsync<InvalidPageTokenException>(() => Repository.ListAsync(null, 5, "bm90LWEta2V5", CancellationToken.None));
    }

    [Fact]
    public async Task The_store_is_available()
    {
        await Repository.CheckAvailabilityAsync(CancellationToken.None);
    }

    private static string Canonical(Item item) =>
        System.Text.Json.JsonSerializer.Serialize(item with { Tags = [.. item.Tags] }) + item.CreatedBy;
}

public sealed class InMemoryItemRepositoryContractTests(InMemoryItemsApp fixture) : ItemRepositoryContract(fixture.App), IClassFixture<InMemoryItemsApp>;

public sealed class DynamoDbItemRepositoryContractTests(DynamoDbItemsApp fixture) : ItemRepositoryContract(fixture.App), IClassFixture<DynamoDbItemsApp>
{
    [Fact]
    public void Runs_against_dynamodb() =>
        Assert.IsType<DynamoDbItemRepository>(fixture.App.Services.GetRequiredService<IItemRepository>());
}
