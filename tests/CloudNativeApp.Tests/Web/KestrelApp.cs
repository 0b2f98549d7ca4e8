namespace CloudNativeApp.Tests.Web;

/// <summary>
/// The app on a real Kestrel port, items in memory, as a developer runs the page: what goes over the wire
/// (compression, caching headers) is Kestrel's and the middleware's, not TestServer's.
/// </summary>
public sealed class KestrelApp : IAsyncLifetime
{
    private InMemoryAppFactory App { get; } = new();

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
}
