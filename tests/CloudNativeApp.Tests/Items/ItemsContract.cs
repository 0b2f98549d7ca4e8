using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace CloudNativeApp.Tests.Items;

/// <summary>
/// The items contract, run over HTTP against each store (<see cref="InMemoryItemsContractTests"/>,
/// <see cref="DynamoDbItemsContractTests"/>): both must behave identically. Tests share one app per class,
/// so each works with its own items and categories.
/// </summary>
public abstract class ItemsContract(ItemsApp app)
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

        var stored = (await (await Client.GetAsync($"/items/{created.Id()}")).ReadJsonAsync()).AsObject();
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
        var stored = (await (await Client.GetAsync($"/items/{created.Id()}")).ReadJsonAsync()).AsObject();
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

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(writer =>
            Client.PutAsync(created.Id(), $$"""{"name":"writer {{writer}}"}""", ifMatch: created.ETag())));

        Assert.Equal(1, responses.Count(response => response.StatusCode == HttpStatusCode.OK));
        Assert.Equal(7, responses.Count(response => response.StatusCode == HttpStatusCode.PreconditionFailed));
        var winner = (await responses.Single(response => response.IsSuccessStatusCode).ReadJsonAsync()).AsObject();
        var stored = (await (await Client.GetAsync($"/items/{created.Id()}")).ReadJsonAsync()).AsObject();
        Assert.Equal(winner["name"]!.GetValue<string>(), stored["name"]!.GetValue<string>());
        Assert.Equal(1, stored["version"]!.GetValue<int>());
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task Concurrent_updates_without_if_match_are_all_applied_none_lost()
    {
        var created = await Client.CreateItemAsync(new { name = "Busy" });

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(writer =>
            Client.PatchAsync(created.Id(), $$"""{"description":"writer {{writer}}"}""")));

        Assert.All(responses, response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));
        var versions = await Task.WhenAll(responses.Select(async response => (await response.ReadJsonAsync())["version"]!.GetValue<int>()));
        Assert.Equal(Enumerable.Range(1, 8), versions.Order());
        var stored = (await (await Client.GetAsync($"/items/{created.Id()}")).ReadJsonAsync()).AsObject();
        Assert.Equal(8, stored["version"]!.GetValue<int>());
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task Patch_merges_and_null_removes_optional_fields()
    {
        var created = await Client.CreateItemAsync(new
        {
            name = "Chair",
            description = "Red",
            category = "furniture",
            tags = new[] { "a", "b" },
            expiresAt = App.Clock.GetUtcNow().AddDays(1),
        });

        using var response = await Client.PatchAsync(
            created.Id(), """{"description":null,"category":null,"tags":null,"expiresAt":null,"Name":"Armchair"}""", ifMatch: created.ETag());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("\"1\"", response.Headers.ETag?.Tag);
        var item = (await response.ReadJsonAsync()).AsObject();
        Assert.Equal("Armchair", item["name"]!.GetValue<string>());
        Assert.Null(item["description"]);
        Assert.Equal("general", item["category"]!.GetValue<string>());
        Assert.Empty(item["tags"]!.AsArray());
        Assert.Null(item["expiresAt"]);

        var stored = (await (await Client.GetAsync($"/items/{created.Id()}")).ReadJsonAsync()).AsObject();
        Assert.True(JsonNode.DeepEquals(item, stored), $"{item.ToJsonString()} != {stored.ToJsonString()}");
    }

    [Fact]
    public async Task Patch_leaves_fields_it_does_not_mention()
    {
        var created = await Client.CreateItemAsync(new { name = "Sofa", description = "Blue", tags = new[] { "soft" } });

        using var response = await Client.PatchAsync(created.Id(), """{"tags":["soft","big"]}""");

        var item = (await response.ReadJsonAsync()).AsObject();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Sofa", item["name"]!.GetValue<string>());
        Assert.Equal("Blue", item["description"]!.GetValue<string>());
        Assert.Equal(["soft", "big"], item["tags"]!.AsArray().Select(tag => tag!.GetValue<string>()));
    }

    [Fact]
    public async Task Patch_that_removes_the_name_is_a_400_and_changes_nothing()
    {
        var created = await Client.CreateItemAsync(new { name = "Keep" });

        using var response = await Client.PatchAsync(created.Id(), """{"name":null}""");

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "name");
        var stored = (await (await Client.GetAsync($"/items/{created.Id()}")).ReadJsonAsync()).AsObject();
        Assert.Equal(0, stored["version"]!.GetValue<int>());
    }

    [Fact]
    public async Task Patch_with_an_invalid_value_is_a_validation_problem()
    {
        var created = await Client.CreateItemAsync(new { name = "Valid" });

        using var response = await Client.PatchAsync(created.Id(), """{"category":"no spaces allowed"}""");

        await response.AssertValidationErrorAsync("category");
    }

    [Theory]
    [InlineData("""{"colour":"red"}""", "colour")]
    [InlineData("""{"id":"other"}""", "id")]
    [InlineData("""{"tags":"not-a-list"}""", "tags")]
    [InlineData("""[1,2]""", "object")]
    [InlineData("""{"name":""", "JSON")]
    [InlineData("""{"name":"a","name":"b"}""", "JSON")]
    public async Task Patch_with_a_bad_document_is_a_400_saying_why(string patch, string detail)
    {
        var created = await Client.CreateItemAsync(new { name = "Target" });

        using var response = await Client.PatchAsync(created.Id(), patch);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, detail);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("text/plain")]
    public async Task Patch_needs_the_merge_patch_content_type(string contentType)
    {
        var created = await Client.CreateItemAsync(new { name = "Target" });

        using var response = await Client.SendJsonAsync(HttpMethod.Patch, $"/items/{created.Id()}", """{"name":"x"}""", contentType);

        await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType, "Content-Type: application/merge-patch"); // "+" is escaped in the JSON
    }

    [Fact]
    public async Task Patch_without_a_content_type_is_a_415()
    {
        var created = await Client.CreateItemAsync(new { name = "Target" });
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"/items/{created.Id()}") { Content = new ByteArrayContent("""{"name":"x"}"""u8.ToArray()) };

        using var response = await Client.SendAsync(request);

        await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Post_and_put_need_json()
    {
        var created = await Client.CreateItemAsync(new { name = "Target" });

        using var post = await Client.SendJsonAsync(HttpMethod.Post, "/items", """{"name":"x"}""", "text/plain");
        using var put = await Client.SendJsonAsync(HttpMethod.Put, $"/items/{created.Id()}", """{"name":"x"}""", "text/plain");

        await post.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
        await put.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Unknown_properties_are_a_400_naming_the_property()
    {
        var created = await Client.CreateItemAsync(new { name = "Target" });

        using var post = await Client.SendJsonAsync(HttpMethod.Post, "/items", """{"name":"x","colour":"red"}""");
        using var put = await Client.PutAsync(created.Id(), """{"name":"x","version":3}""");

        await post.AssertProblemAsync(HttpStatusCode.BadRequest, "colour");
        await put.AssertProblemAsync(HttpStatusCode.BadRequest, "version");
    }

    public static TheoryData<string, string> InvalidItems => new()
    {
        { """{"name":"   "}""", "name" },
        { $$"""{"name":"{{new string('n', 201)}}"}""", "name" },
        { $$"""{"name":"a","description":"{{new string('d', 2001)}}"}""", "description" },
        { """{"name":"a","category":""}""", "category" },
        { """{"name":"a","category":"has space"}""", "category" },
        { $$"""{"name":"a","category":"{{new string('c', 51)}}"}""", "category" },
        { $$"""{"name":"a","tags":[{{string.Join(',', Enumerable.Range(0, 21).Select(i => $"\"t{i}\""))}}]}""", "tags" },
        { """{"name":"a","tags":["same","same"]}""", "tags" },
        { """{"name":"a","tags":[""]}""", "tags" },
        { $$"""{"name":"a","tags":["{{new string('t', 51)}}"]}""", "tags" },
        { """{"name":"a","expiresAt":"2001-01-01T00:00:00Z"}""", "expiresAt" },
    };

    [Theory]
    [MemberData(nameof(InvalidItems))]
    public async Task Invalid_fields_are_a_validation_problem_naming_the_field(string body, string field)
    {
        using var response = await Client.SendJsonAsync(HttpMethod.Post, "/items", body);

        await response.AssertValidationErrorAsync(field);
    }

    [Theory]
    [InlineData("{}", "name")]
    [InlineData("""{"name":null}""", "name")]
    [InlineData("""{"name":5}""", "name")]
    [InlineData("""{"name":"a","expiresAt":"tomorrow"}""", "expiresAt")]
    [InlineData("", "body")]
    public async Task Malformed_bodies_are_a_400_problem(string body, string detail)
    {
        using var response = await Client.SendJsonAsync(HttpMethod.Post, "/items", body);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, detail);
    }

    [Fact]
    public async Task Edge_values_are_accepted()
    {
        var item = await Client.CreateItemAsync(new
        {
            name = new string('n', 200),
            description = new string('d', 2000),
            category = new string('c', 50),
            tags = Enumerable.Range(0, 20).Select(i => $"{i}{new string('t', 40)}").ToArray(),
        });

        Assert.Equal(20, item["tags"]!.AsArray().Count);
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
    public async Task Listing_a_category_pages_newest_first_with_every_item_exactly_once()
    {
        var category = NewCategory();
        List<string> created = [];
        for (var i = 0; i < 23; i++)
        {
            created.Add((await Client.CreateItemAsync(new { name = $"item {i}", category })).Id());
            App.Clock.Advance(TimeSpan.FromMilliseconds(i % 3 == 0 ? 0 : 7)); // some share a createdAt
        }

        var pages = await Client.ListAllPagesAsync($"category={category}&limit=5");

        Assert.All(pages.SkipLast(1), page => Assert.Equal(5, page.Count));
        var listed = pages.SelectMany(page => page).ToList();
        Assert.Equal(created.Order(), listed.Select(item => item.Id()).Order());
        var createdAts = listed.Select(item => item["createdAt"]!.GetValue<DateTimeOffset>()).ToList();
        Assert.Equal(createdAts.OrderDescending(), createdAts);
        Assert.All(listed, item => Assert.Equal(category, item["category"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Listing_without_a_category_scans_every_item_exactly_once()
    {
        List<string> created = [];
        for (var i = 0; i < 12; i++)
        {
            created.Add((await Client.CreateItemAsync(new { name = $"scan {i}", category = NewCategory() })).Id());
        }

        var pages = await Client.ListAllPagesAsync("limit=4");

        var listed = pages.SelectMany(page => page).Select(item => item.Id()).ToList();
        Assert.Equal(listed.Count, listed.Distinct().Count());
        Assert.Subset(listed.ToHashSet(), created.ToHashSet());
    }

    [Fact]
    public async Task Listing_defaults_to_twenty_items_per_page()
    {
        var category = NewCategory();
        for (var i = 0; i < 21; i++)
        {
            await Client.CreateItemAsync(new { name = $"item {i}", category });
        }

        using var response = await Client.GetAsync($"/items?category={category}");

        var page = await response.ReadJsonAsync();
        Assert.Equal(20, page["items"]!.AsArray().Count);
        Assert.NotNull(page["nextToken"]);
    }

    [Fact]
    public async Task The_last_page_has_a_null_next_token()
    {
        var category = NewCategory();
        await Client.CreateItemAsync(new { name = "only", category });

        using var response = await Client.GetAsync($"/items?category={category}&limit=10");

        var page = (await response.ReadJsonAsync()).AsObject();
        Assert.Single(page["items"]!.AsArray());
        Assert.True(page.ContainsKey("nextToken"));
        Assert.Null(page["nextToken"]);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=101", "limit")]
    [InlineData("category=bad%20category", "category")]
    public async Task Invalid_list_parameters_are_a_validation_problem(string query, string field)
    {
        using var response = await Client.GetAsync($"/items?{query}");
        await response.AssertValidationErrorAsync(field);
    }

    [Fact]
    public async Task A_limit_that_is_not_a_number_is_a_400()
    {
        using var response = await Client.GetAsync("/items?limit=ten");
        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "ten");
    }

    public static TheoryData<string> TamperedTokens => new()
    {
        "!!!not-base64!!!",
        "e30", // {}
        Base64Url("""{"id":{"S":"abc"},"extra":{"S":"x"}}"""),
        Base64Url("""{"id":{"N":"1"}}"""),
        Base64Url("""{"id":{"S":"has space"}}"""),
        Base64Url("""{"id":{"S":"abc"},"category":{"S":"other"},"createdAt":{"S":"2026-01-01T00:00:00.000Z"}}"""),
        Base64Url("""{"id":{"S":"abc"},"category":{"S":"CATEGORY"},"createdAt":{"S":"yesterday"}}"""),
        Base64Url("""[1,2,3]"""),
        Base64Url("""not json"""),
        new string('A', 5000),
    };

    [Theory]
    [MemberData(nameof(TamperedTokens))]
    public async Task A_malformed_or_tampered_next_token_is_a_400(string token)
    {
        var category = "tokens";
        await Client.CreateItemAsync(new { name = "x", category });

        using var scan = await Client.GetAsync($"/items?nextToken={Uri.EscapeDataString(token)}");
        using var query = await Client.GetAsync($"/items?category={category}&nextToken={Uri.EscapeDataString(token.Replace("CATEGORY", category, StringComparison.Ordinal))}");

        await scan.AssertValidationErrorAsync("nextToken");
        await query.AssertValidationErrorAsync("nextToken");
    }

    [Fact]
    public async Task A_token_from_one_listing_is_rejected_by_another()
    {
        var category = NewCategory();
        for (var i = 0; i < 3; i++)
        {
            await Client.CreateItemAsync(new { name = $"item {i}", category });
        }

        var first = await (await Client.GetAsync($"/items?category={category}&limit=1")).ReadJsonAsync();
        var token = Uri.EscapeDataString(first["nextToken"]!.GetValue<string>());

        using var scan = await Client.GetAsync($"/items?nextToken={token}");
        using var otherCategory = await Client.GetAsync($"/items?category=other&nextToken={token}");
        using var sameListing = await Client.GetAsync($"/items?category={category}&limit=1&nextToken={token}");

        await scan.AssertValidationErrorAsync("nextToken");
        await otherCategory.AssertValidationErrorAsync("nextToken");
        Assert.Equal(HttpStatusCode.OK, sameListing.StatusCode);
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

    private static string Base64Url(string text) => System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));
}

public sealed class InMemoryItemsContractTests(InMemoryItemsApp fixture) : ItemsContract(fixture.App), IClassFixture<InMemoryItemsApp>;

public sealed class DynamoDbItemsContractTests(DynamoDbItemsApp fixture) : ItemsContract(fixture.App), IClassFixture<DynamoDbItemsApp>;
