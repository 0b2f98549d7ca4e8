using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace CloudNativeApp.Web.Tests.Web;

[Collection(WebAppTests.Name)]
public sealed class ItemsPageTests(WebAppFixture app)
{
    [Fact]
    public async Task Create_edit_conflict_and_delete_an_item()
    {
        var category = WebAppFixture.UniqueCategory("life");
        var name = $"Milk {Guid.NewGuid():N}"[..13];
        await using var browser = await app.OpenPageAsync();
        var page = browser.Page;
        await FilterAsync(page, category);
        await Expect(page.GetByText($"No items in the category “{category}”.")).ToBeVisibleAsync();

        // Create: the dialog starts in the filtered category, and the new item appears in the list.
        await page.GetByRole(AriaRole.Button, new() { Name = "New item" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "New item" });
        await Expect(dialog.GetByLabel("Name")).ToBeFocusedAsync();
        await Expect(dialog.GetByLabel("Category")).ToHaveValueAsync(category);
        await dialog.GetByLabel("Name").FillAsync(name);
        await dialog.GetByLabel("Description").FillAsync("Two litres, semi-skimmed");
        await dialog.GetByLabel("Tags").FillAsync("dairy, fridge");
        await dialog.GetByLabel("Expires").FillAsync(DateTime.UtcNow.AddDays(10).ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture));
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();

        await Expect(dialog).ToBeHiddenAsync();
        await Expect(Notice(page)).ToHaveTextAsync($"Created “{name}”.");
        var card = ItemCard(page, name);
        await Expect(card).ToBeVisibleAsync();
        await Expect(card).ToContainTextAsync("Two litres, semi-skimmed");
        await Expect(card.GetByRole(AriaRole.List, new() { Name = "Tags" }).GetByRole(AriaRole.Listitem)).ToHaveTextAsync(["dairy", "fridge"]);
        await Expect(card.Locator(".expiry")).ToContainTextAsync("Expires in 10 days");
        var id = await page.Locator("#item-list > li").Filter(new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = name }) }).GetAttributeAsync("data-id");
        Assert.False(string.IsNullOrEmpty(id));

        // Edit: saved with If-Match, the card shows the change.
        await card.GetByRole(AriaRole.Button, new() { Name = $"Edit {name}" }).ClickAsync();
        dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Edit item" });
        await Expect(dialog.GetByLabel("Name")).ToHaveValueAsync(name);
        await Expect(dialog.GetByLabel("Tags")).ToHaveValueAsync("dairy, fridge");
        await dialog.GetByLabel("Description").FillAsync("One litre");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(card).ToContainTextAsync("One litre");

        // Conflict: someone else changes the item between opening the editor and saving.
        await card.GetByRole(AriaRole.Button, new() { Name = $"Edit {name}" }).ClickAsync();
        await Expect(dialog).ToBeVisibleAsync();
        await dialog.GetByLabel("Description").FillAsync("My change");
        await ChangeThroughApiAsync(id!, name, "Their change", category);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();

        var conflict = dialog.GetByRole(AriaRole.Alert).Filter(new() { HasText = "changed by someone else" });
        await Expect(conflict).ToBeVisibleAsync();
        await Expect(conflict).ToContainTextAsync("This item was changed by someone else after you opened it.");
        await Expect(conflict.GetByRole(AriaRole.Button, new() { Name = "Reload latest version" })).ToBeFocusedAsync();
        await page.ScreenshotAsync(new() { Path = WebAppFixture.ScreenshotPath("item-conflict-desktop") });
        await conflict.GetByRole(AriaRole.Button, new() { Name = "Reload latest version" }).ClickAsync();
        await Expect(conflict).ToBeHiddenAsync();
        await Expect(dialog.GetByLabel("Description")).ToHaveValueAsync("Their change");
        await Expect(card).ToContainTextAsync("Their change");

        // Saving again, now against the latest version, succeeds.
        await dialog.GetByLabel("Description").FillAsync("Their change, and mine");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(card).ToContainTextAsync("Their change, and mine");
        using (var stored = await app.Api.GetAsync($"items/{id}"))
        {
            Assert.Equal("Their change, and mine", (await stored.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("description").GetString());
        }

        // Delete: cancelling keeps the item; confirming removes it.
        await card.GetByRole(AriaRole.Button, new() { Name = $"Delete {name}" }).ClickAsync();
        var confirm = page.GetByRole(AriaRole.Dialog, new() { Name = "Delete item?" });
        await Expect(confirm).ToContainTextAsync($"“{name}” will be deleted. This cannot be undone.");
        await Expect(confirm.GetByRole(AriaRole.Button, new() { Name = "Cancel" })).ToBeFocusedAsync();
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(confirm).ToBeHiddenAsync();
        await Expect(card).ToBeVisibleAsync();

        await card.GetByRole(AriaRole.Button, new() { Name = $"Delete {name}" }).ClickAsync();
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
        await Expect(confirm).ToBeHiddenAsync();
        await Expect(card).ToHaveCountAsync(0);
        await Expect(Notice(page)).ToHaveTextAsync($"Deleted “{name}”.");
        await Expect(page.GetByText($"No items in the category “{category}”.")).ToBeVisibleAsync();
        using (var gone = await app.Api.GetAsync($"items/{id}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }

        browser.AssertNoErrors(412);
    }

    [Fact]
    public async Task Validation_errors_from_the_api_are_shown_next_to_the_fields_they_name()
    {
        await using var browser = await app.OpenPageAsync();
        var page = browser.Page;

        await page.GetByRole(AriaRole.Button, new() { Name = "New item" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "New item" });
        await dialog.GetByLabel("Name").FillAsync("Yesterday's news");
        await dialog.GetByLabel("Tags").FillAsync("paper, paper");
        await dialog.GetByLabel("Expires").FillAsync(DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture));
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();

        // Both messages come from the API's problem details (the browser has no rule for either).
        var expires = dialog.GetByLabel("Expires");
        await Expect(dialog.Locator("#item-expires-error")).ToHaveTextAsync("ExpiresAt must be in the future (it is stored to the whole second).");
        await Expect(expires).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(expires).ToHaveAccessibleDescriptionAsync("ExpiresAt must be in the future (it is stored to the whole second).");
        await Expect(expires).ToBeFocusedAsync(); // the first field with an error, in reading order
        await Expect(dialog.Locator("#item-tags-error")).ToHaveTextAsync("Tags must be unique.");
        await Expect(dialog.Locator("#item-name-error")).ToBeHiddenAsync();
        await Expect(dialog.GetByRole(AriaRole.Alert).Filter(new() { HasText = "highlighted" })).ToHaveTextAsync("Please correct the highlighted fields.");
        await Expect(dialog).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = WebAppFixture.ScreenshotPath("item-validation-desktop") });

        // Fixing the fields lets the item be created.
        await expires.FillAsync("");
        await dialog.GetByLabel("Tags").FillAsync("paper");
        await dialog.GetByLabel("Category").FillAsync(WebAppFixture.UniqueCategory("valid"));
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(Notice(page)).ToHaveTextAsync("Created “Yesterday's news”.");
        browser.AssertNoErrors(400);
    }

    [Fact]
    public async Task Category_filter_and_load_more_page_through_25_items()
    {
        var category = WebAppFixture.UniqueCategory("page");
        var other = WebAppFixture.UniqueCategory("other");
        for (var i = 1; i <= 25; i++)
        {
            await app.CreateItemAsync(new { name = $"Paged {i:00}", category });
        }

        await app.CreateItemAsync(new { name = "Not in this category", category = other });

        await using var browser = await app.OpenPageAsync();
        var page = browser.Page;
        await FilterAsync(page, category);

        var cards = page.Locator("#item-list > li");
        var loadMore = page.GetByRole(AriaRole.Button, new() { Name = "Load more" });
        await Expect(cards).ToHaveCountAsync(10);
        await loadMore.ClickAsync();
        await Expect(cards).ToHaveCountAsync(20);
        await loadMore.ClickAsync();
        await Expect(cards).ToHaveCountAsync(25);
        await Expect(loadMore).ToBeHiddenAsync();

        var names = await cards.GetByRole(AriaRole.Heading).AllTextContentsAsync();
        // Every item exactly once across the pages (items created in the same millisecond have no defined order).
        Assert.Equal(Enumerable.Range(1, 25).Select(i => $"Paged {i:00}"), names.Order(StringComparer.Ordinal));
        await Expect(page.GetByText("Not in this category")).ToHaveCountAsync(0);

        // Another category, then back to all categories.
        await FilterAsync(page, other);
        await Expect(cards).ToHaveCountAsync(1);
        await Expect(cards.GetByRole(AriaRole.Heading)).ToHaveTextAsync("Not in this category");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show all" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Search).GetByLabel("Category")).ToHaveValueAsync("");
        await Expect(cards).ToHaveCountAsync(10);
        await Expect(loadMore).ToBeVisibleAsync();
        browser.AssertNoErrors();
    }

    [Fact]
    public async Task Export_downloads_the_filtered_category_as_ndjson()
    {
        var category = WebAppFixture.UniqueCategory("export");
        for (var i = 1; i <= 3; i++)
        {
            await app.CreateItemAsync(new { name = $"Exported {i}", category });
        }

        await using var browser = await app.OpenPageAsync();
        var page = browser.Page;
        await FilterAsync(page, category);

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Export" }).ClickAsync());

        Assert.Equal($"items-{category}.ndjson", download.SuggestedFilename);
        var lines = (await File.ReadAllTextAsync((await download.PathAsync())!)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var names = lines.Select(line => JsonDocument.Parse(line).RootElement.GetProperty("name").GetString());
        Assert.Equal(["Exported 1", "Exported 2", "Exported 3"], names.Order(StringComparer.Ordinal));
        browser.AssertNoErrors();
    }

    [Fact]
    public async Task A_failing_api_shows_an_error_with_a_retry_that_recovers()
    {
        await using var browser = await app.OpenPageWithItemsAsync();
        var page = browser.Page;

        // The only part simulated: an outage of the API, which cannot be caused from outside the process.
        var failures = 0;
        await page.RouteAsync("**/items?*", async route =>
        {
            failures++;
            await route.FulfillAsync(new()
            {
                Status = 503,
                ContentType = "application/problem+json",
                Body = """{"title":"Item store unavailable","status":503,"detail":"The item store did not answer in time."}""",
            });
        });
        await FilterAsync(page, WebAppFixture.UniqueCategory("down"));

        var state = page.Locator("#items-state");
        await Expect(state).ToContainTextAsync("Could not load items. Item store unavailable: The item store did not answer in time.");
        Assert.True(failures >= 1);

        await page.UnrouteAllAsync(new() { Behavior = UnrouteBehavior.Wait });
        await state.GetByRole(AriaRole.Button, new() { Name = "Try again" }).ClickAsync();
        await Expect(state).ToContainTextAsync("No items in the category");
        browser.AssertNoErrors(503);
    }

    /// <summary>The page's live region for short confirmations.</summary>
    private static ILocator Notice(IPage page) => page.Locator("#notice");

    private static ILocator ItemCard(IPage page, string name) =>
        page.GetByRole(AriaRole.Article, new() { Name = name, Exact = true });

    internal static async Task FilterAsync(IPage page, string category)
    {
        await page.GetByRole(AriaRole.Search).GetByLabel("Category").FillAsync(category);
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter", Exact = true }).ClickAsync();
        await Expect(page.Locator("#item-list[aria-busy]")).ToHaveCountAsync(0);
    }

    private async Task ChangeThroughApiAsync(string id, string name, string description, string category)
    {
        using var current = await app.Api.GetAsync($"items/{id}");
        using var request = new HttpRequestMessage(HttpMethod.Put, $"items/{id}")
        {
            Content = JsonContent.Create(new { name, description, category }),
        };
        request.Headers.IfMatch.Add(current.Headers.ETag!);
        using var response = await app.Api.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
