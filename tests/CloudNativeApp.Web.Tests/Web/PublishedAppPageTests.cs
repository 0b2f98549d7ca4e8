namespace CloudNativeApp.Web.Tests.Web;

/// <summary>The page and Swagger UI served by the published Native AOT binary.</summary>
[Collection(PublishedWebAppTests.Name)]
public sealed class PublishedAppPageTests(PublishedWebAppFixture app)
{
    [Fact]
    public Task Swagger_UI_from_the_generated_document_runs_a_request() => SwaggerUiTests.TryItOutOnCalculatorAddAsync(app);

    [Fact]
    public async Task The_page_lists_an_item_created_through_the_API()
    {
        var category = BrowserAppFixture.UniqueCategory("aot");
        await app.CreateItemAsync(new { name = "Made ahead of time", category });
        await using var browser = await app.OpenPageAsync();
        var page = browser.Page;

        await ItemsPageTests.FilterAsync(page, category);

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Made ahead of time" })).ToBeVisibleAsync();
        browser.AssertNoErrors();
    }
}
