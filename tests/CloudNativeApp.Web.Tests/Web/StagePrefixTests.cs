using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CloudNativeApp.Web.Tests.Web;

/// <summary>
/// The page in a real browser under a path prefix, as behind an API Gateway stage: the host strips "/Prod" into
/// PathBase (what the Lambda hosting layer does), and every URL the page uses must stay under the prefix.
/// </summary>
[Collection(WebAppTests.Name)]
public sealed class StagePrefixTests(WebAppFixture app)
{
    [Theory]
    [InlineData("Prod/")]
    [InlineData("Prod")]
    public async Task The_page_works_under_the_stage_with_or_without_a_trailing_slash(string path)
    {
        await using var factory = new InMemoryAppFactory().WithWebHostBuilder(builder =>
            builder.ConfigureServices(services => services.AddTransient<IStartupFilter, StagePrefix>()));
        var root = factory.StartOnLoopback();

        var context = await app.Browser.NewContextAsync();
        var requested = new List<string>();
        await using var browser = new BrowserPage(context, await context.NewPageAsync());
        var page = browser.Page;
        page.Request += (_, request) =>
        {
            lock (requested)
            {
                requested.Add(new Uri(request.Url).AbsolutePath);
            }
        };
        await browser.GotoAsync(new Uri(root, path));

        await Expect(page.GetByText("No items yet. Use “New item” to create the first one.")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "New item" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByLabel("Name").FillAsync("Under the stage");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Under the stage" })).ToBeVisibleAsync();
        await page.GetByLabel("First number").FillAsync("3");
        await page.GetByLabel("Second number").FillAsync("4");
        await page.GetByRole(AriaRole.Button, new() { Name = "Calculate" }).ClickAsync();
        await Expect(page.Locator("[data-result=product]")).ToHaveTextAsync("12");

        lock (requested)
        {
            Assert.Contains("/Prod/js/items.js", requested);
            Assert.Contains("/Prod/items", requested);
            Assert.Contains("/Prod/calculator", requested);
            Assert.All(requested, url => Assert.StartsWith("/Prod", url, StringComparison.Ordinal));
        }

        browser.AssertNoErrors();
    }

    /// <summary>Runs before the app's own middleware, as a front end that forwards its prefix would.</summary>
    private sealed class StagePrefix : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UsePathBase("/Prod");
            next(app);
        };
    }
}
