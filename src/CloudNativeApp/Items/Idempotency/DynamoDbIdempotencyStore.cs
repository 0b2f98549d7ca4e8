using Amazon.DynamoDBv2.Model;

namespace CloudNativeApp.Items.Idempotency;

/// <summary>Reservations in their own table, written with conditional puts (versioned saves) instead of transactions.</summary>
internal sealed class DynamoDbIdempotencyStore(IDynamoDBContext context, IOptions<ItemStoreOptions> options, TimeProvider clock) : IIdempotencyStore
{
    private readonly string _tableName = options.Value.IdempotencyTableNameOrDefault;
    private readonly TimeSpan _timeout = options.Value.Timeout;

    public Task<IdempotencyReservation> ReserveAsync(string key, string requestHash, string candidateItemId, CancellationToken cancellationToken) =>
        DynamoDbCall.RunAsync(_tableName, _timeout, async token =>
        {
            // A record past its expiry but not yet swept by TTL is taken over; if another writer gets there first,
            // the second round returns that writer's reservation.
            for (var round = 1; ; round++)
            {
                var existing = await LoadAsync(key, token);
                var now = clock.GetUtcNow().UtcDateTime;
                if (existing is not null && existing.ExpiresAt > now)
                {
                    return new IdempotencyReservation(existing.ItemId, existing.RequestHash, existing.Response);
                }

                var record = existing ?? new IdempotencyRecord { Key = key };
                record.RequestHash = requestHash;
                record.ItemId = candidateItemId;
                record.Response = null;
                record.ExpiresAt = now + IdempotencyTable.KeyLifetime;
                try
                {
                    await context.SaveAsync(record, new SaveConfig { OverrideTableName = _tableName }, token);
                    return new IdempotencyReservation(candidateItemId, requestHash, null);
                }
                catch (ConditionalCheckFailedException) when (round < 3)
                {
                }
            }
        }, cancellationToken);

    public Task CompleteAsync(string key, string response, CancellationToken cancellationToken) =>
        DynamoDbCall.RunAsync(_tableName, _timeout, async token =>
        {
            if (await LoadAsync(key, token) is { Response: null } record)
            {
                record.Response = response;
                try
                {
                    await context.SaveAsync(record, new SaveConfig { OverrideTableName = _tableName }, token);
                }
                catch (ConditionalCheckFailedException)
                {
                    // A concurrent retry recorded the same item first.
                }
            }

            return true;
        }, cancellationToken);

    private Task<IdempotencyRecord?> LoadAsync(string key, CancellationToken cancellationToken) =>
        context.LoadAsync<IdempotencyRecord>(key, new LoadConfig { OverrideTableName = _tableName, ConsistentRead = true }, cancellationToken)!;
}
