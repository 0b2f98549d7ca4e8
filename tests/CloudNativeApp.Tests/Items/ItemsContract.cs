namespace CloudNativeApp.Tests.Items;

/// <summary>
/// The items contract, run over HTTP against each store (<see cref="InMemoryItemsContractTests"/>,
/// <see cref="DynamoDbItemsContractTests"/>): both must behave identically. Tests share one app per class,
/// so each works with its own items and categories. Here create, read, replace, delete and expiry; patching,
/// validation and listing in the files beside it.
/// </summary>
public abstract partial class ItemsContract(ItemsApp app)
{
    protected HttpClient Client { get; } = app.CreateClient();

    protected ItemsApp App => app;

    private static string NewCategory() => $"c-{Guid.NewGuid():N}"[..30];

    [Fact]
    public async Task Post_returns_201_with_location_etag_and_the_item_with_defaults()
    {
        using var response = await Client.PostAsJsonAsync("/items", new { name = "  Lamp  " });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var item = (await response.ReadJsonAsync()).AsObject();
        Assert.Equal($"/items/{item.Id()}", response.Headers.Location?.OriginalString);
        Assert.Equal("\"0\"", response.Headers.ETag?.Tag);
        Assert.Equal("Lamp", item["name"]!.GetValue<string>());
        Assert.Equal("general", item["category"]!.GetValue<string>());
        Assert.Empty(item["tags"]!.AsArray());
        Assert.Null(item["description"]);
        Assert.Null(item["expiresAt"]);
        Assert.Equal(0, item["version"]!.GetValue<int>());
        Assert.Equal(item["createdAt"]!.GetValue<DateTimeOffset>(), item["updatedAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(TimeSpan.Zero, item["createdAt"]!.GetValue<DateTimeOffset>().Offset);
        Assert.False(item.ContainsKey("createdBy"));
    }

    [Fact]
    public async Task Get_returns_what_was_stored_with_its_etag()
    {
        var expiresAt = App.Clock.GetUtcNow().AddDays(3);
        var created = await Client.CreateItemAsync(new
        {
            name = "Desk",
            description = "Oak",
            category = "furniture_2-b",
            tags = new[] { "wood", "large" },
            expiresAt,
        });

        using var response = await Client.GetAsync($"/items/{created.Id()}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("\"0\"", response.Headers.ETag?.Tag);
        var item = (await response.ReadJsonAsync()).AsObject();
        Assert.True(JsonNode.DeepEquals(created, item), $"{created.ToJsonString()} != {item.ToJsonString()}");
        Assert.Equal(["wood", "large"], item["tags"]!.AsArray().Select(tag => tag!.GetValue<string>()));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(expiresAt.ToUnixTimeSeconds()), item["expiresAt"]!.GetValue<DateTimeOffset>());
    }

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef")]
    [InlineData("not%20an%20id")]
    [InlineData("x")]
    public async Task Get_of_a_missing_item_is_a_404_problem(string id)
    {
        using var response = await Client.GetAsync($"/items/{id}");
        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Get_of_a_very_long_id_is_a_404_problem_not_a_store_error()
    {
        using var response = await Client.GetAsync($"/items/{new string('a', 3000)}");
        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Put_replaces_the_mutable_fields_and_bumps_the_version()
    {
        var created = await Client.CreateItemAsync(new { name = "Old", description = "gone after PUT", tags = new[] { "x" } });
        App.Clock.Advance(TimeSpan.FromSeconds(5));

        using var response = await Client.PutAsync(created.Id(), """{"name":"New","category":"books"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("\"1\"", response.Headers.ETag?.Tag);
        var item = (await response.ReadJsonAsync()).AsObject();
        Assert.Equal("New", item["name"]!.GetValue<string>());
        Assert.Equal("books", item["category"]!.GetValue<string>());
        Assert.Null(item["description"]);
        Assert.Empty(item["tags"]!.AsArray());
        Assert.Equal(1, item["version"]!.GetValue<int>());
        Assert.Equal(created["createdAt"]!.GetValue<DateTimeOffset>(), item["createdAt"]!.GetValue<DateTimeOffset>());
        Assert.True(item["updatedAt"]!.GetValue<DateTimeOffset>() > item["createdAt"]!.GetValue<DateTimeOffset>());

        var stored = await Client.GetStoredItemAsync(created.Id());
        Assert.True(JsonNode.DeepEquals(item, stored));
    }

    [Fact]
    public async Task Put_with_a_matching_if_match_succeeds_and_a_stale_one_is_a_412()
    {
        var created = await Client.CreateItemAsync(new { name = "A" });

        using (var matching = await Client.PutAsync(created.Id(), """{"name":"B"}""", ifMatch: "\"0\""))
        {
            Assert.Equal(HttpStatusCode.OK, matching.StatusCode);
        }

        using var stale = await Client.PutAsync(created.Id(), """{"name":"C"}""", ifMatch: "\"0\"");
        await stale.AssertProblemAsync(HttpStatusCode.PreconditionFailed, "\\u00221\\u0022");
        var stored = await Client.GetStoredItemAsync(created.Id());
        Assert.Equal("B", stored["name"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("*", HttpStatusCode.OK)]
    [InlineData("\"7\", \"0\"", HttpStatusCode.OK)]
    [InlineData("W/\"0\"", HttpStatusCode.PreconditionFailed)]
    [InlineData("\"abc\"", HttpStatusCode.PreconditionFailed)]
    [InlineData("0", HttpStatusCode.BadRequest)]
    public async Task If_match_follows_rfc_9110(string ifMatch, HttpStatusCode expected)
    {
        var created = await Client.CreateItemAsync(new { name = "A" });

        using var response = await Client.PutAsync(created.Id(), """{"name":"B"}""", ifMatch);

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task Of_eight_concurrent_puts_with_the_same_if_match_exactly_one_wins()
    {
        var created = await Client.CreateItemAsync(new { name = "Contended" });

        using var responses = await ConcurrentResponses.SendAsync(8, writer =>
            Client.PutAsync(created.Id(), $$"""{"name":"writer {{writer}}"}""", ifMatch: created.ETag()));

        Assert.Equal(1, responses.All.Count(response => response.StatusCode == HttpStatusCode.OK));
        Assert.Equal(7, responses.All.Count(response => response.StatusCode == HttpStatusCode.PreconditionFailed));
        var winner = (await responses.All.Single(response => response.IsSuccessStatusCode).ReadJsonAsync()).AsObject();
        var stored = await Client.GetStoredItemAsync(created.Id());
        Assert.Equal(winner["name"]!.GetValue<string>(), stored["name"]!.GetValue<string>());
        Assert.Equal(1, stored["version"]!.GetValue<int>());
    }

    [Fact]
    public async Task Concurrent_updates_without_if_match_are_all_applied_none_lost()
    {
        var created = await Client.CreateItemAsync(new { name = "Busy" });

        using var responses = await ConcurrentResponses.SendAsync(8, writer =>
            Client.PatchAsync(created.Id(), $$"""{"description":"writer {{writer}}"}"""));

        Assert.All(responses.All, response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));
        var versions = await Task.WhenAll(responses.All.Select(async response => (await response.ReadJsonAsync())["version"]!.GetValue<int>()));
        Assert.Equal(Enumerable.Range(1, 8), versions.Order());
        var stored = await Client.GetStoredItemAsync(created.Id());
        Assert.Equal(8, stored["version"]!.GetValue<int>());
    }

    [Fact]
    public async Task Delete_returns_204_then_the_item_is_gone()
    {
        var created = await Client.CreateItemAsync(new { name = "Doomed" });

        using var deleted = await Client.DeleteAsync(created.Id(), ifMatch: null);
        using var get = await Client.GetAsync($"/items/{created.Id()}");
        using var again = await Client.DeleteAsync(created.Id(), ifMatch: null);
        using var put = await Client.PutAsync(created.Id(), """{"name":"back"}""");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await get.AssertProblemAsync(HttpStatusCode.NotFound);
        await again.AssertProblemAsync(HttpStatusCode.NotFound);
        await put.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Delete_with_a_stale_if_match_is_a_412_and_keeps_the_item()
    {
        var created = await Client.CreateItemAsync(new { name = "Guarded" });
        (await Client.PatchAsync(created.Id(), """{"description":"changed"}""")).Dispose();

        using var stale = await Client.DeleteAsync(created.Id(), created.ETag());
        using var get = await Client.GetAsync($"/items/{created.Id()}");
        using var current = await Client.DeleteAsync(created.Id(), "\"1\"");

        await stale.AssertProblemAsync(HttpStatusCode.PreconditionFailed);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, current.StatusCode);
    }

    [Fact]
    public async Task An_expired_item_is_invisible_everywhere()
    {
        var category = NewCategory();
        var expiring = await Client.CreateItemAsync(new { name = "Milk", category, expiresAt = App.Clock.GetUtcNow().AddMinutes(10) });
        var lasting = await Client.CreateItemAsync(new { name = "Salt", category });

        using (var before = await Client.GetAsync($"/items/{expiring.Id()}"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        App.Clock.Advance(TimeSpan.FromMinutes(11));

        using var get = await Client.GetAsync($"/items/{expiring.Id()}");
        using var put = await Client.PutAsync(expiring.Id(), """{"name":"Fresh milk"}""");
        using var patch = await Client.PatchAsync(expiring.Id(), """{"name":"Fresh milk"}""");
        using var delete = await Client.DeleteAsync(expiring.Id(), ifMatch: null);
        var byCategory = (await Client.ListAllPagesAsync($"category={category}&limit=1")).SelectMany(page => page).Select(item => item.Id()).ToList();
        var all = (await Client.ListAllPagesAsync("limit=100")).SelectMany(page => page).Select(item => item.Id()).ToList();

        await get.AssertProblemAsync(HttpStatusCode.NotFound);
        await put.AssertProblemAsync(HttpStatusCode.NotFound);
        await patch.AssertProblemAsync(HttpStatusCode.NotFound);
        await delete.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal([lasting.Id()], byCategory);
        Assert.DoesNotContain(expiring.Id(), all);
        Assert.Contains(lasting.Id(), all);
    }

    [Fact]
    public async Task Expiry_is_stored_to_the_whole_second()
    {
        var expiresAt = App.Clock.GetUtcNow().AddHours(1).AddMilliseconds(750);

        var item = await Client.CreateItemAsync(new { name = "Timed", expiresAt });

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(expiresAt.ToUnixTimeSeconds()), item["expiresAt"]!.GetValue<DateTimeOffset>());
    }
}

public sealed class InMemoryItemsContractTests(InMemoryItemsApp fixture) : ItemsContract(fixture.App), IClassFixture<InMemoryItemsApp>;

public sealed class DynamoDbItemsContractTests(DynamoDbItemsApp fixture) : ItemsContract(fixture.App), IClassFixture<DynamoDbItemsApp>;
