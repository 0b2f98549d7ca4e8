namespace CloudNativeApp.Items.Idempotency;

/// <summary>
/// Reserves an <c>Idempotency-Key</c> for one create request: which item id it creates and a hash of the
/// request it was first used with. Written with a conditional put (no transactions needed) and deleted by
/// DynamoDB's TTL a day later.
/// </summary>
[DynamoDBTable(IdempotencyTable.DefaultTableName)]
public sealed class IdempotencyRecord
{
    [DynamoDBHashKey(IdempotencyTable.HashKeyAttribute)]
    public string Key { get; set; } = "";

    [DynamoDBProperty("requestHash")]
    public string RequestHash { get; set; } = "";

    [DynamoDBProperty("itemId")]
    public string ItemId { get; set; } = "";

    /// <summary>The created item's JSON once the first request finished: what every retry gets back.</summary>
    [DynamoDBProperty("response")]
    public string? Response { get; set; }

    [DynamoDBProperty(IdempotencyTable.TimeToLiveAttribute, StoreAsEpochLong = true)]
    public DateTime ExpiresAt { get; set; }

    /// <summary>Null on a new record, which makes the first save conditional on the key not existing yet.</summary>
    [DynamoDBVersion("version")]
    public int? Version { get; set; }
}

public static class IdempotencyTable
{
    public const string DefaultTableName = "Items-idempotency";
    public const string HashKeyAttribute = "key";
    public const string TimeToLiveAttribute = "expiresAt";

    /// <summary>How long a key is remembered.</summary>
    public static readonly TimeSpan KeyLifetime = TimeSpan.FromHours(24);

    public static Amazon.DynamoDBv2.Model.CreateTableRequest CreateTableRequest(string tableName) => new()
    {
        TableName = tableName,
        BillingMode = Amazon.DynamoDBv2.BillingMode.PAY_PER_REQUEST,
        AttributeDefinitions = [new(HashKeyAttribute, Amazon.DynamoDBv2.ScalarAttributeType.S)],
        KeySchema = [new(HashKeyAttribute, Amazon.DynamoDBv2.KeyType.HASH)],
    };
}

/// <summary>The reservation a key resolved to: the item it creates and the request it was first used with.</summary>
public sealed record IdempotencyReservation(string ItemId, string RequestHash, string? Response);

public interface IIdempotencyStore
{
    /// <summary>
    /// Reserves <paramref name="key"/> for <paramref name="candidateItemId"/> unless an unexpired reservation
    /// exists, in which case that one is returned unchanged. Atomic: of concurrent callers exactly one reserves.
    /// </summary>
    Task<IdempotencyReservation> ReserveAsync(string key, string requestHash, string candidateItemId, CancellationToken cancellationToken);

    /// <summary>Remembers the response of the request that reserved <paramref name="key"/>, for its retries.</summary>
    Task CompleteAsync(string key, string response, CancellationToken cancellationToken);
}
