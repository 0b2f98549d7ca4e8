using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;

namespace CloudNativeApp.Items;

/// <summary>Says at startup which store serves items and, when asked to, creates the DynamoDB table.</summary>
internal sealed partial class ItemStoreInitializer(
    IServiceProvider services,
    IOptions<ItemStoreOptions> options,
    IConfiguration configuration,
    IHostEnvironment environment,
    ILogger<ItemStoreInitializer> logger) : IHostedService
{
    private static readonly TimeSpan TableActiveTimeout = TimeSpan.FromSeconds(60);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (settings.Store == ItemStoreKind.InMemory)
        {
            var chosen = configuration[$"{ItemStoreOptions.SectionName}:Store"] is null
                ? $"the {environment.EnvironmentName} default; set Items__Store=DynamoDB to use DynamoDB"
                : "Items:Store=InMemory";
            LogInMemory(logger, chosen);
            return;
        }

        var serviceUrl = configuration["AWS:ServiceURL"];
        LogDynamoDb(logger, settings.TableName!, string.IsNullOrEmpty(serviceUrl) ? "the AWS regional endpoint" : serviceUrl);
        if (settings.CreateTable)
        {
            var client = services.GetRequiredService<IAmazonDynamoDB>();
            await EnsureTableAsync(client, ItemTable.CreateTableRequest(settings.TableName!), ItemTable.TimeToLiveAttribute, cancellationToken);
            await EnsureTableAsync(client, IdempotencyTable.CreateTableRequest(settings.IdempotencyTableNameOrDefault), IdempotencyTable.TimeToLiveAttribute, cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task EnsureTableAsync(IAmazonDynamoDB client, CreateTableRequest table, string timeToLiveAttribute, CancellationToken cancellationToken)
    {
        var tableName = table.TableName;
        try
        {
            await client.CreateTableAsync(table, cancellationToken);
            LogTableCreated(logger, tableName);
        }
        catch (ResourceInUseException)
        {
            // Already there (or another instance is creating it right now).
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TableActiveTimeout);
        while ((await client.DescribeTableAsync(tableName, timeout.Token)).Table.TableStatus != TableStatus.ACTIVE)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250), timeout.Token);
        }

        try
        {
            var ttl = await client.DescribeTimeToLiveAsync(new DescribeTimeToLiveRequest { TableName = tableName }, cancellationToken);
            if (ttl.TimeToLiveDescription?.TimeToLiveStatus is { } status && (status == TimeToLiveStatus.ENABLED || status == TimeToLiveStatus.ENABLING))
            {
                return;
            }

            await client.UpdateTimeToLiveAsync(new UpdateTimeToLiveRequest
            {
                TableName = tableName,
                TimeToLiveSpecification = new TimeToLiveSpecification { AttributeName = timeToLiveAttribute, Enabled = true },
            }, cancellationToken);
        }
        catch (AmazonServiceException exception)
        {
            // Local emulators (dynalite) lack UpdateTimeToLive; expired items are hidden by the repository either way.
            LogTimeToLiveUnsupported(logger, tableName, exception.ErrorCode ?? exception.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Items are stored IN MEMORY ({Reason}); they are lost when the process stops.")]
    private static partial void LogInMemory(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Items are stored in DynamoDB table {TableName} at {Endpoint}.")]
    private static partial void LogDynamoDb(ILogger logger, string tableName, string endpoint);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created DynamoDB table {TableName}.")]
    private static partial void LogTableCreated(ILogger logger, string tableName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not enable time-to-live on {TableName} ({Reason}); expired items stay hidden but are not deleted.")]
    private static partial void LogTimeToLiveUnsupported(ILogger logger, string tableName, string reason);
}
