namespace CloudNativeApp.Items.Idempotency;

internal sealed class InMemoryIdempotencyStore(TimeProvider clock) : IIdempotencyStore
{
    private readonly ConcurrentDictionary<string, (IdempotencyReservation Reservation, DateTimeOffset ExpiresAt)> _records = new(StringComparer.Ordinal);

    public Task<IdempotencyReservation> ReserveAsync(string key, string requestHash, string candidateItemId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var fresh = (new IdempotencyReservation(candidateItemId, requestHash, null), now + IdempotencyTable.KeyLifetime);
        var stored = _records.AddOrUpdate(key, fresh, (_, existing) => existing.ExpiresAt <= now ? fresh : existing);
        return Task.FromResult(stored.Reservation);
    }

    public Task CompleteAsync(string key, string response, CancellationToken cancellationToken)
    {
        _records.AddOrUpdate(
            key,
            _ => throw new InvalidOperationException($"Idempotency key '{key}' was never reserved."),
            (_, existing) => existing with { Reservation = existing.Reservation with { Response = existing.Reservation.Response ?? response } });
        return Task.CompletedTask;
    }
}
