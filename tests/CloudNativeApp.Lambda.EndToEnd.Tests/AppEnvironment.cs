namespace CloudNativeApp.Lambda.EndToEnd.Tests;

/// <summary>Configuration the tests give the published app on top of Lambda's own environment.</summary>
internal static class AppEnvironment
{
    /// <summary>Production (no ASPNETCORE_ENVIRONMENT, as deployed) with the in-memory item store.</summary>
    public static Dictionary<string, string?> InMemory() => new(StringComparer.Ordinal)
    {
        ["Items__Store"] = "InMemory",
    };

    /// <summary>In memory, plus the startup hook that lets a request make the app throw (see <see cref="StartupHook"/>).</summary>
    public static Dictionary<string, string?> InMemoryWithFaultInjection()
    {
        var environment = InMemory();
        environment["DOTNET_STARTUP_HOOKS"] = typeof(StartupHook).Assembly.Location;
        return environment;
    }
}
