using Amazon.DynamoDBv2.DocumentModel;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;

namespace CloudNativeApp.Items.Storage;

/// <summary>Items in a DynamoDB table through the object-persistence model (<see cref="ItemDocument"/>).</summary>
public sealed class DynamoDbItemRepository(
    IAmazonDynamoDB client,
    IDynamoDBContext context,
    IOptions<ItemStoreOptions> options,
    TimeProvider timeProvider) : IItemRepository
{
    // A page can come back short when expired items are filtered out; a few more reads fill it without letting a
    // table full of expired items turn one request into an unbounded scan.
    private const int MaxReadsPerPage = 8;

    private readonly string _tableName = options.Value.TableName ?? ItemTable.DefaultTableName;
    private readonly TimeSpan _timeout = options.Value.Timeout;

    public Task<Item?> FindAsync(string id, CancellationToken cancellationToken) =>
        RunAsync(async token =>
        {
            var document = await context.LoadAsync<ItemDocument>(id, new LoadConfig { OverrideTableName = _tableName, ConsistentRead = true }, token);
            return document is null || ToItem(document) is var item && item.IsExpiredAt(timeProvider.GetUtcNow()) ? null : item;
        }, cancellationToken);

    public Task<Item> AddAsync(Item item, CancellationToken cancellationToken) =>
        RunAsync(async token =>
        {
            // A null version makes the save conditional on the id being new.
            var document = ToDocument(item with { Version = 0 }, version: null);
            try
            {
                await context.SaveAsync(document, new SaveConfig { OverrideTableName = _tableName }, token);
            }
            catch (ConditionalCheckFailedException exception)
            {
                throw new DuplicateItemException($"An item with id '{item.Id}' already exists.", exception);
            }

            return ToItem(document);
        }, cancellationToken);

    public Task<Item?> ReplaceAsync(Item item, CancellationToken cancellationToken) =>
        RunAsync(async token =>
        {
            var document = ToDocument(item, item.Version);
            try
            {
                await context.SaveAsync(document, new SaveConfig { OverrideTableName = _tableName }, token);
            }
            catch (ConditionalCheckFailedException)
            {
                return null;
            }

            return ToItem(document);
        }, cancellationToken);

    public Task<bool> RemoveAsync(string id, int expectedVersion, CancellationToken cancellationToken) =>
        RunAsync(async token =>
        {
            try
            {
                await context.DeleteAsync(new ItemDocument { Id = id, Version = expectedVersion }, new DeleteConfig { OverrideTableName = _tableName }, token);
                return true;
            }
            catch (ConditionalCheckFailedException)
            {
                return false;
            }
        }, cancellationToken);

    public async Task<ItemPage> ListAsync(string? category, int limit, string? pageToken, CancellationToken cancellationToken)
    {
        var startKey = pageToken is null ? null : PageToken.ToKeyJson(PageToken.Decode(pageToken, category));
        return await RunAsync(async token =>
        {
            var now = DateTimeOffset.FromUnixTimeSeconds(timeProvider.GetUtcNow().ToUnixTimeSeconds());
            var unexpired = new Expression
            {
                ExpressionStatement = "attribute_not_exists(#expiresAt) OR #expiresAt > :now",
                ExpressionAttributeNames = { ["#expiresAt"] = ItemTable.TimeToLiveAttribute },
                ExpressionAttributeValues = { [":now"] = now.ToUnixTimeSeconds() },
            };

            List<Item> items = [];
            for (var reads = 0; reads < MaxReadsPerPage && items.Count < limit; reads++)
            {
                // Limit caps the items DynamoDB evaluates, so asking for only what is missing means the last evaluated
                // key is exactly where the next page must start.
                var search = category is null
                    ? context.FromScanAsync<ItemDocument>(
                        new ScanOperationConfig { Limit = limit - items.Count, PaginationToken = startKey, FilterExpression = unexpired, ConsistentRead = true },
                        new FromScanConfig { OverrideTableName = _tableName })
                    : context.FromQueryAsync<ItemDocument>(
                        new QueryOperationConfig
                        {
                            IndexName = ItemTable.CategoryIndexName,
                            KeyExpression = new Expression
                            {
                                ExpressionStatement = "#category = :category",
                                ExpressionAttributeNames = { ["#category"] = ItemTable.CategoryAttribute },
                                ExpressionAttributeValues = { [":category"] = category },
                            },
                            FilterExpression = unexpired,
                            BackwardSearch = true,
                            Limit = limit - items.Count,
                            PaginationToken = startKey,
                        },
                        new FromQueryConfig { OverrideTableName = _tableName });

                var documents = await search.GetNextSetAsync(token);
                items.AddRange(documents.Select(ToItem).Where(item => !item.IsExpiredAt(now)));
                startKey = IsEnd(search.PaginationToken) ? null : search.PaginationToken;
                if (startKey is null)
                {
                    break;
                }
            }

            return new ItemPage(items, startKey is null ? null : PageToken.Encode(PageToken.FromKeyJson(System.Text.Encoding.UTF8.GetBytes(startKey))));
        }, cancellationToken);
    }

    public Task CheckAvailabilityAsync(CancellationToken cancellationToken) =>
        RunAsync(async token =>
        {
            var table = await client.DescribeTableAsync(_tableName, token);
            return table.Table.TableStatus == TableStatus.ACTIVE || table.Table.TableStatus == TableStatus.UPDATING
                ? true
                : throw new ItemStoreUnavailableException($"The DynamoDB table '{_tableName}' is {table.Table.TableStatus}.");
        }, cancellationToken);

    private static bool IsEnd(string? paginationToken) => string.IsNullOrEmpty(paginationToken) || paginationToken == "{}";

    private Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken) =>
        DynamoDbCall.RunAsync(_tableName, _timeout, operation, cancellationToken);

    private static ItemDocument ToDocument(Item item, int? version) => new()
    {
        Id = item.Id,
        Name = item.Name,
        Description = item.Description,
        Category = item.Category,
        Tags = [.. item.Tags],
        ExpiresAt = item.ExpiresAt?.UtcDateTime,
        CreatedAt = item.CreatedAt.UtcDateTime,
        UpdatedAt = item.UpdatedAt.UtcDateTime,
        CreatedBy = item.CreatedBy,
        Version = version,
    };

    private static Item ToItem(ItemDocument document) => new(
        document.Id,
        document.Name,
        document.Description,
        document.Category,
        document.Tags ?? [],
        document.ExpiresAt is { } expiresAt ? new DateTimeOffset(DateTime.SpecifyKind(expiresAt, DateTimeKind.Utc)) : null,
        new DateTimeOffset(DateTime.SpecifyKind(document.CreatedAt, DateTimeKind.Utc)),
        new DateTimeOffset(DateTime.SpecifyKind(document.UpdatedAt, DateTimeKind.Utc)),
        document.Version ?? 0,
        document.CreatedBy);
}
