using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CloudNativeApp.Tests.Web;

/// <summary>
/// The app on a real Kestrel port, items in memory, as a developer runs the page: what goes over the wire
/// (compression, caching headers) is Kestrel's and the middleware's, not TestServer's.
/// </summary>
public sealed class KestrelApp : IAsyncLifetime
{
    private Factory App { get; } = new();

    /// <summary>A client of the server's root URL.</summary>
    public HttpClient Api { get; private set; } = null!;

    public Task InitializeAsync()
    {
        Api = new HttpClient { BaseAddress = App.StartOnLoopback(), Timeout = TimeSpan.FromSeconds(60) };
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        Api?.Dispose();
        await App.DisposeAsync();
    }

    private sealed class Factory : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            builder.UseSetting("Items:Store", "InMemory");
            // An open API, as a developer runs it; authentication and rate limits have their own tests.
            builder.UseSetting("Auth:Mode", "None");
            builder.UseSetting("RateLimiting:Enabled", "false");
            builder.UseSetting("hostBuilder:reloadConfigOnChange", "false");
        }
    }
}
