using Xunit.Abstractions;

namespace CloudNativeApp.Web.Tests.Web;

/// <summary>How the page looks and works at desktop and phone width, with a keyboard, for assistive technology.</summary>
[Collection(WebAppTests.Name)]
public sealed class LayoutTests(WebAppFixture app, ITestOutputHelper output)
{
    public static TheoryData<string, int, int, ColorScheme> Viewports => new()
    {
        { "desktop", 1280, 900, ColorScheme.Light },
        { "phone", 390, 844, ColorScheme.Light },
        { "phone-dark", 390, 844, ColorScheme.Dark },
    };

    [Theory]
    [MemberData(nameof(Viewports))]
    public async Task The_main_page_fits_the_screen_and_is_captured_for_review(string name, int width, int height, ColorScheme colorScheme)
    {
        var category = WebAppFixture.UniqueCategory("shots");
        await app.CreateItemAsync(new { name = "Oat milk", description = "Barista edition, for the office coffee machine.", category, tags = (string[])["kitchen", "weekly"], expiresAt = DateTimeOffset.UtcNow.AddDays(2) });
        await app.CreateItemAsync(new { name = "Printer paper", description = "A4, 80 g/m², five reams.", category, tags = (string[])["office"], expiresAt = DateTimeOffset.UtcNow.AddDays(45) });
        await app.CreateItemAsync(new { name = "Conference badge lanyards", category });

        await using var browser = await app.OpenPageAsync(new ViewportSize { Width = width, Height = height }, $"?screenshot={name}", colorScheme);
        var page = browser.Page;
        await page.GetByRole(AriaRole.Search).GetByLabel("Category").FillAsync(category);
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter", Exact = true }).ClickAsync();
        await Expect(page.Locator("#item-list > li")).ToHaveCountAsync(3);
        await page.GetByLabel("First number").FillAsync("10");
        await page.GetByLabel("Second number").FillAsync("4");
        await page.GetByRole(AriaRole.Button, new() { Name = "Calculate" }).ClickAsync();
        await Expect(page.Locator("[data-result=quotient]")).ToHaveTextAsync("2.5");

        // Nothing sticks out sideways: no horizontal scrolling at this width.
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0, $"The page is {overflow}px wider than the {width}px viewport.");

        var file = WebAppFixture.ScreenshotPath($"main-page-{name}");
        await page.ScreenshotAsync(new() { Path = file, FullPage = true });
        Assert.True(new FileInfo(file).Length > 10_000, "The screenshot is suspiciously small.");
        output.WriteLine($"Screenshot: {file}");

        // The item editor too, the page's other main view.
        await page.GetByRole(AriaRole.Button, new() { Name = "Edit Oat milk" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Dialog, new() { Name = "Edit item" })).ToBeVisibleAsync();
        var dialogFile = WebAppFixture.ScreenshotPath($"item-editor-{name}");
        await page.ScreenshotAsync(new() { Path = dialogFile });
        output.WriteLine($"Screenshot: {dialogFile}");
        browser.AssertNoErrors();
    }

    [Fact]
    public async Task Every_form_control_has_a_label_and_every_button_a_name()
    {
        await using var browser = await app.OpenPageWithItemsAsync();
        var page = browser.Page;

        var unnamed = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('input, textarea, select, button')]
              .filter(element => {
                const labelled = element.labels?.length > 0 || element.getAttribute('aria-label') || element.getAttribute('aria-labelledby');
                return element.matches('button') ? !element.textContent.trim() && !labelled : !labelled;
              })
              .map(element => element.outerHTML)
            """);

        Assert.Empty(unnamed);
        Assert.Equal(1, await page.Locator("h1").CountAsync());
        Assert.Equal("en", await page.Locator("html").GetAttributeAsync("lang"));
        browser.AssertNoErrors();
    }

    [Fact]
    public async Task The_item_editor_works_with_the_keyboard_alone()
    {
        var category = WebAppFixture.UniqueCategory("keys");
        await using var browser = await app.OpenPageAsync();
        var page = browser.Page;

        // The first Tab on a fresh page reaches the skip link, which leads past the header.
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Skip to content" })).ToBeFocusedAsync();

        await page.GetByRole(AriaRole.Search).GetByLabel("Category").FillAsync(category);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByText($"No items in the category “{category}”.")).ToBeVisibleAsync();

        var newItem = page.GetByRole(AriaRole.Button, new() { Name = "New item" });
        await newItem.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "New item" });
        await Expect(dialog.GetByLabel("Name")).ToBeFocusedAsync();

        // Escape closes the dialog and gives focus back to the button that opened it.
        await page.Keyboard.PressAsync("Escape");
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(newItem).ToBeFocusedAsync();

        await page.Keyboard.PressAsync("Enter");
        await page.Keyboard.TypeAsync("Typed, not clicked");
        await page.Keyboard.PressAsync("Enter");
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Typed, not clicked" })).ToBeVisibleAsync();
        browser.AssertNoErrors();
    }
}
