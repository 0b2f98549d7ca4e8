namespace CloudNativeApp.Web.Tests;

/// <summary>
/// The published app — the Native AOT <c>bootstrap</c> the zip and the container image hold — on Kestrel as the
/// container runs it (Production, items in memory, open API), with Chromium: what the browser gets from the build
/// that is deployed, where reflection-based code that works on the JIT can fail.
/// </summary>
public sealed class PublishedWebAppFixture : BrowserAppFixture
{
    private readonly PublishedApp published = new();
    private KestrelAppProcess? app;

    protected override async Task<Uri> StartAppAsync()
    {
        await published.InitializeAsync();
        app = await KestrelAppProcess.StartAsync(published.Bootstrap, new Dictionary<string, string?>
        {
            ["Items__Store"] = "InMemory",
            ["Auth__Mode"] = "None",
            ["RateLimiting__Enabled"] = "false",
        });
        return app.BaseAddress;
    }

    protected override async ValueTask StopAppAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync();
        }

        await published.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class PublishedWebAppTests : ICollectionFixture<PublishedWebAppFixture>
{
    public const string Name = "Published (Native AOT) app on Kestrel with Chromium";
}
