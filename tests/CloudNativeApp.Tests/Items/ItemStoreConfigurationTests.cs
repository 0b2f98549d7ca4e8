using System.Runtime.InteropServices;

namespace CloudNativeApp.Tests.Items;

public sealed class ItemStoreConfigurationTests
{
    [Fact]
    public async Task Development_without_configuration_uses_the_in_memory_store()
    {
        await using var app = new ItemsApp(new Dictionary<string, string?>(), environment: "Development");

        Assert.IsType<InMemoryItemRepository>(app.Services.GetRequiredService<IItemRepository>());
    }

    [Fact]
    public async Task The_log_says_when_items_are_kept_in_memory()
    {
        using var logs = new CapturingLoggerProvider();
        await using var app = new ItemsApp(new Dictionary<string, string?>(), environment: "Development");
        await using var logged = app.WithWebHostBuilder(builder => builder.ConfigureLogging(logging => logging.AddProvider(logs)));

        logged.CreateClient().Dispose();

        Assert.Contains(logs.Entries, entry =>
            entry.Level == LogLevel.Warning && entry.Message.Contains("IN MEMORY", StringComparison.Ordinal) && entry.Message.Contains("Items__Store=DynamoDB", StringComparison.Ordinal));
    }

    /// <summary>
    /// The real app process (its app host beside this assembly) rather than WebApplicationFactory: when the app's own
    /// Run() fails ValidateOnStart, it disposes the host, and the factory's deferred start can then read the disposed
    /// host's services and throw ObjectDisposedException instead of the validation error (a race that failed 1 of 2
    /// full runs). The process's exit code and output are what an operator sees.
    /// </summary>
    [Fact]
    public async Task Production_without_a_table_name_fails_at_startup_with_a_clear_message()
    {
        var environment = new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Auth__Mode"] = "None", // Production's default (ApiGateway) refuses Kestrel before the store is validated
            ["DOTNET_ROOT"] = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..")),
        };

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(
            () => KestrelAppProcess.StartAsync(Path.Combine(AppContext.BaseDirectory, "CloudNativeApp"), environment));

        Assert.Matches(@"exited with code -?[1-9]\d* before listening", failure.Message);
        Assert.Contains("Items:TableName is required", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Production_defaults_to_dynamodb_and_never_silently_to_memory()
    {
        await using var app = new ItemsApp(new Dictionary<string, string?> { ["Items:TableName"] = "prod-items", ["AWS:Region"] = "eu-west-1" }, environment: "Production");

        var options = app.Services.GetRequiredService<IOptions<ItemStoreOptions>>().Value;
        Assert.Equal(ItemStoreKind.DynamoDB, options.Store);
        Assert.Equal("prod-items", options.TableName);
        Assert.IsType<DynamoDbItemRepository>(app.Services.GetRequiredService<IItemRepository>());
    }

    [Fact]
    public async Task An_explicit_in_memory_store_is_allowed_anywhere()
    {
        await using var app = new ItemsApp(new Dictionary<string, string?> { ["Items:Store"] = "InMemory" }, environment: "Production");

        Assert.IsType<InMemoryItemRepository>(app.Services.GetRequiredService<IItemRepository>());
    }

    [Fact]
    public async Task Development_with_dynamodb_defaults_the_table_name()
    {
        await using var app = new ItemsApp(new Dictionary<string, string?> { ["Items:Store"] = "DynamoDB", ["AWS:Region"] = "eu-west-1" });

        Assert.Equal(ItemTable.DefaultTableName, app.Services.GetRequiredService<IOptions<ItemStoreOptions>>().Value.TableName);
    }

    [Fact]
    public async Task The_sdk_client_fails_fast_with_standard_retries()
    {
        await using var app = new ItemsApp(new Dictionary<string, string?>
        {
            ["Items:Store"] = "DynamoDB",
            ["Items:TimeoutSeconds"] = "4",
            ["AWS:Region"] = "eu-west-1",
        });

        var config = app.Services.GetRequiredService<Amazon.DynamoDBv2.IAmazonDynamoDB>().Config;
        Assert.Equal(TimeSpan.FromSeconds(4), config.Timeout);
        Assert.Equal(Amazon.Runtime.RequestRetryMode.Standard, config.RetryMode);
        Assert.InRange(config.MaxErrorRetry, 1, 3);
    }

    [Theory]
    [InlineData("Items:TimeoutSeconds", "0")]
    [InlineData("Items:Store", "Cassandra")]
    public async Task Invalid_settings_fail_at_startup(string key, string value)
    {
        await using var app = new ItemsApp(new Dictionary<string, string?> { [key] = value });

        Assert.ThrowsAny<Exception>(() => app.CreateClient());
    }
}
