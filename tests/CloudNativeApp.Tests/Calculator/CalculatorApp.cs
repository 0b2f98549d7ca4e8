namespace CloudNativeApp.Tests.Calculator;

/// <summary>The app as a developer runs it; the calculator needs no configuration.</summary>
public sealed class CalculatorApp : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.ConfigureAppConfiguration((_, configuration) =>
            configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Items:Store"] = "InMemory" }));
    }
}
