using Amazon.Runtime;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CloudNativeApp.LoadTest;

/// <summary>
/// The real app on Kestrel (loopback, a free port), configured for the DynamoDB store at <paramref name="dynamoDbUrl"/>.
/// It is started once and never restarted: recovering from a DynamoDB outage is the app's job, not the harness's.
/// </summary>
public sealed class AppUnderTest : IAsyncDisposable
{
    private readonly WebApplicationFactory<Program> factory;

    private AppUnderTest(WebApplicationFactory<Program> factory, Uri baseAddress)
    {
        this.factory = factory;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public IServiceProvider Services => factory.Services;

    /// <summary>The app with the DynamoDB store on <paramref name="dynamoDbUrl"/>, creating <paramref name="tableName"/>.</summary>
    public static AppUnderTest StartWithDynamoDb(string dynamoDbUrl, string tableName, IEnumerable<KeyValuePair<string, string?>>? extraSettings = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Items:Store"] = "DynamoDB",
            ["Items:TableName"] = tableName,
            ["Items:CreateTable"] = "true",
            ["AWS:ServiceURL"] = dynamoDbUrl,
            ["AWS:Region"] = "us-east-1",
        };
        foreach (var (key, value) in extraSettings ?? [])
        {
            settings[key] = value;
        }

        return Start(settings);
    }

    /// <summary>The app in the Production environment with <paramref name="settings"/> (e.g. <c>Items:Store</c>) on top.</summary>
    public static AppUnderTest Start(IEnumerable<KeyValuePair<string, string?>> settings)
    {
        var effective = new Dictionary<string, string?>
        {
            // Production behaviour (no developer pages), without the parts that need a gateway or throttle a load test.
            ["Auth:Mode"] = "None",
            ["RateLimiting:Enabled"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Error",
            // Every 503 during an outage logs an error with its exception; the harness counts them itself.
            ["Logging:LogLevel:CloudNativeApp.Items.ItemStoreUnavailableHandler"] = "None",
        };
        foreach (var (key, value) in settings)
        {
            effective[key] = value;
        }

        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(host =>
        {
            host.UseEnvironment("Production");
            foreach (var (key, value) in effective)
            {
                host.UseSetting(key, value);
            }

            // Endpoint and region come from configuration as in production; only credentials are given here, because
            // a CI machine has none and dynalite does not check signatures.
            host.ConfigureServices(services => services.AddSingleton(provider =>
            {
                var aws = provider.GetRequiredService<IConfiguration>().GetAWSOptions();
                aws.Credentials = new BasicAWSCredentials("local", "local");
                return aws;
            }));
        });
        try
        {
            return new AppUnderTest(factory, factory.StartOnLoopback());
        }
        catch
        {
            factory.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync() => await factory.DisposeAsync();
}
