namespace CloudNativeApp.Tests.Security;

/// <summary>The app with extra configuration and environment, for security behaviour that depends on them.</summary>
internal static class SecurityTestHost
{
    public static WebApplicationFactory<Program> Create(string environment, params (string Key, string? Value)[] settings) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(host =>
        {
            host.UseEnvironment(environment);
            host.UseSetting("Items:Store", "InMemory");
            foreach (var (key, value) in settings)
            {
                host.UseSetting(key, value);
            }
        });
}
