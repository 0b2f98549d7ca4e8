using Amazon.Extensions.NETCore.Setup;

namespace CloudNativeApp.Tests.Items;

/// <summary>The app configured only through in-memory configuration, with a clock the tests can move.</summary>
public class ItemsApp(IReadOnlyDictionary<string, string?> settings, string environment = "Development") : WebApplicationFactory<Program>
{
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    /// <summary>Settings for the DynamoDB store on a dynalite endpoint, creating <paramref name="tableName"/> at startup.</summary>
    public static Dictionary<string, string?> DynamoDbSettings(string serviceUrl, string tableName, double timeoutSeconds = 3) => new()
    {
        ["Items:Store"] = "DynamoDB",
        ["Items:TableName"] = tableName,
        ["Items:CreateTable"] = "true",
        ["Items:TimeoutSeconds"] = timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["AWS:ServiceURL"] = serviceUrl,
        ["AWS:Region"] = "us-east-1",
    };

    public static string NewTableName() => $"items-{Guid.NewGuid():N}";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        builder.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(settings));
        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);

            // The endpoint and region come from configuration as in production; only the credentials are given here,
            // because CI machines have none and dynalite does not check signatures.
            services.AddSingleton(provider =>
            {
                var options = provider.GetRequiredService<IConfiguration>().GetAWSOptions();
                options.Credentials = new BasicAWSCredentials("local", "local");
                return options;
            });
        });
    }
}

/// <summary>One app per test class over the in-memory store.</summary>
public sealed class InMemoryItemsApp : IAsyncLifetime
{
    public ItemsApp App { get; } = new(new Dictionary<string, string?> { ["Items:Store"] = "InMemory" });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await App.DisposeAsync();
}

/// <summary>One dynalite and one app (with its own table) per test class.</summary>
public sealed class DynamoDbItemsApp : IAsyncLifetime
{
    public DynaliteServer Dynalite { get; } = new();

    public ItemsApp App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Dynalite.StartAsync();
        App = new ItemsApp(ItemsApp.DynamoDbSettings(Dynalite.ServiceUrl, ItemsApp.NewTableName()));
        App.CreateClient().Dispose(); // starts the host, which creates the table
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Dynalite.DisposeAsync();
    }
}
