using CloudNativeApp.Items;
using CloudNativeApp.Items.Storage;
using CloudNativeApp.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

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

    [Fact]
    public async Task Production_without_a_table_name_fails_at_startup_with_a_clear_message()
    {
        await using var app = new ItemsApp(new Dictionary<string, string?>(), environment: "Production");

        var failure = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        var messages = string.Join(" | ", Flatten(failure).Select(exception => exception.Message));
        Assert.Contains("Items:TableName is required", messages, StringComparison.Ordinal);
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

    private static IEnumerable<Exception> Flatten(Exception exception) => exception switch
    {
        AggregateException aggregate => [aggregate, .. aggregate.InnerExceptions.SelectMany(Flatten)],
        { InnerException: { } inner } => [exception, .. Flatten(inner)],
        _ => [exception],
    };
}
