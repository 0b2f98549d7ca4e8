using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CloudNativeApp.Testing;

/// <summary>
/// The app in the test process (on the JIT, so a debugger can step through it) as a developer runs it: items in
/// memory and an open API. Authentication and rate limits have their own tests.
/// </summary>
public sealed class InMemoryAppFactory : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Items:Store", "InMemory");
        builder.UseSetting("Auth:Mode", "None");
        builder.UseSetting("RateLimiting:Enabled", "false");
        // Many hosts in one run would exhaust inotify instances with file watchers.
        builder.UseSetting("hostBuilder:reloadConfigOnChange", "false");
    }
}
