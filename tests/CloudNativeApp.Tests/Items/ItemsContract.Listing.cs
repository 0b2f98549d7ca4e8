namespace CloudNativeApp.Tests.Items;

// Listing: paging, its parameters and its nextToken.
public abstract partial class ItemsContract
{
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

    private static string Base64Url(string text) => System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));
}
