using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CloudNativeApp.Testing;

/// <summary>
/// The app in the test process (on the JIT, so a debugger can step through it) as a developer runs it: items in
/// memory and an open API. Authentication and rate limits have their own tests.
/// </summary>
public sealed class InMemoryAppFactory : WebApplicationFactory<Program>
{
    /// <summary>
    /// What every in-process host of the app in the tests starts from, whatever else it sets: the Testing
    /// environment, items in memory and no configuration file watchers.
    /// </summary>
    public static void UseTestHostDefaults(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Items:Store", "InMemory");
        // Many hosts in one run would exhaust inotify instances with file watchers.
        builder.UseSetting("hostBuilder:reloadConfigOnChange", "false");
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        UseTestHostDefaults(builder);
        builder.UseSetting("Auth:Mode", "None");
        builder.UseSetting("RateLimiting:Enabled", "false");
    }
}
