using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CloudNativeApp.Web.Tests;

/// <summary>
/// An app on a real Kestrel port and one headless Chromium, shared by the tests of a collection. Each test opens its
/// own browser context, so cookies, storage and routes never leak between tests.
/// </summary>
public abstract class BrowserAppFixture : IAsyncLifetime
{
    /// <summary>Debian's Chromium, installed by .ci/run with apt. Playwright's own browser download is never used.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? playwright;
    private IBrowser? browser;

    /// <summary>The server's root URL, ending in a slash.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    public HttpClient Api { get; private set; } = null!;

    public IBrowser Browser => browser ?? throw new InvalidOperationException("The browser has not been started.");

    public async Task InitializeAsync()
    {
        BaseAddress = await StartAppAsync();
        Api = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };

        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: install Debian's chromium (apt-get install -y chromium), as .ci/run does.");
        }

        // Generous timeouts: the CI machine has two cores shared with other test projects.
        Assertions.SetDefaultExpectTimeout(20_000);
        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Timeout = 120_000,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"],
        });
    }

    public async Task DisposeAsync()
    {
        if (browser is not null)
        {
            await browser.CloseAsync();
        }

        playwright?.Dispose();
        Api?.Dispose();
        await StopAppAsync();
    }

    /// <summary>Starts the app; returns its root URL, ending in a slash.</summary>
    protected abstract Task<Uri> StartAppAsync();

    protected abstract ValueTask StopAppAsync();

    /// <summary>A fresh page at desktop size (or <paramref name="viewport"/>) whose console errors and failed requests are recorded.</summary>
    public async Task<BrowserPage> OpenPageAsync(ViewportSize? viewport = null, string path = "", ColorScheme colorScheme = ColorScheme.Light)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = viewport ?? new ViewportSize { Width = 1280, Height = 900 },
            ColorScheme = colorScheme,
            Locale = "en-GB",
            TimezoneId = "UTC",
        });
        context.SetDefaultTimeout(30_000);
        var page = new BrowserPage(context, await context.NewPageAsync());
        await page.GotoAsync(new Uri(BaseAddress, path));
        return page;
    }

    /// <summary>A fresh page at desktop size, once its item list has loaded.</summary>
    public async Task<BrowserPage> OpenPageWithItemsAsync()
    {
        var page = await OpenPageAsync();
        await Expect(page.Page.Locator("#items-state.state--loading")).ToHaveCountAsync(0);
        return page;
    }

    /// <summary>Creates an item through the API (as another client would), returning its JSON.</summary>
    public async Task<JsonElement> CreateItemAsync(object item)
    {
        using var response = await Api.PostAsJsonAsync("items", item);
        Assert.True(response.IsSuccessStatusCode, $"POST /items: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Where screenshots for people to review go: the test output directory, never the repository.</summary>
    public static string ScreenshotPath(string name)
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, $"{name}.png");
    }

    /// <summary>A category no other test uses, so each test sees only its own items in a shared store.</summary>
    public static string UniqueCategory(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(50, prefix.Length + 13)];
}

/// <summary>The app in the test process (on the JIT, so a debugger can step through it), items in memory.</summary>
public sealed class WebAppFixture : BrowserAppFixture
{
    public InMemoryAppFactory Factory { get; } = new();

    protected override Task<Uri> StartAppAsync() => Task.FromResult(Factory.StartOnLoopback());

    protected override ValueTask StopAppAsync() => Factory.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class WebAppTests : ICollectionFixture<WebAppFixture>
{
    public const string Name = "Web application on Kestrel with Chromium";
}
