namespace CloudNativeApp.Web.Tests.Web;

[Collection(WebAppTests.Name)]
public sealed class SwaggerUiTests(WebAppFixture app)
{
    [Fact]
    public Task Try_it_out_on_calculator_add_returns_the_sum() => TryItOutOnCalculatorAddAsync(app);

    /// <summary>From the page to Swagger UI by its link, then "Try it out" on <c>GET /calculator/add/{x}/{y}</c>.</summary>
    internal static async Task TryItOutOnCalculatorAddAsync(BrowserAppFixture app)
    {
        await using var browser = await app.OpenPageAsync();
        var page = browser.Page;

        // From the page to Swagger UI by its link, as a person would.
        await page.GetByRole(AriaRole.Link, new() { Name = "API reference" }).First.ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/swagger/index.html$"));

        var operation = page.Locator(".opblock").Filter(new() { HasText = "/calculator/add/{x}/{y}" });
        await operation.Locator(".opblock-summary").ClickAsync();
        await operation.GetByRole(AriaRole.Button, new() { Name = "Try it out" }).ClickAsync();
        await operation.Locator("tr[data-param-name='x'] input").FillAsync("2.5");
        await operation.Locator("tr[data-param-name='y'] input").FillAsync("4");
        await operation.GetByRole(AriaRole.Button, new() { Name = "Execute" }).ClickAsync();

        var live = operation.Locator(".live-responses-table");
        await Expect(live.Locator("tr.response .response-col_status").First).ToHaveTextAsync("200");
        await Expect(live.Locator("tr.response .response-col_description pre").First).ToHaveTextAsync("6.5");
        browser.AssertNoErrors();
    }

    [Fact]
    public async Task Swagger_ui_links_back_to_the_page()
    {
        await using var browser = await app.OpenPageAsync(path: "swagger/index.html");
        var page = browser.Page;

        await page.GetByRole(AriaRole.Link, new() { Name = "Back to the CloudNativeApp web application" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(app.BaseAddress.ToString());
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Items", Level = 1 })).ToBeVisibleAsync();
        browser.AssertNoErrors();
    }
}
