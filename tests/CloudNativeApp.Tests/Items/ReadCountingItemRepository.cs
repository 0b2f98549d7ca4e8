namespace CloudNativeApp.Tests.Items;

/// <summary>A real store that counts its reads and can let another writer in right after one.</summary>
internal sealed class ReadCountingItemRepository(IItemRepository inner) : IItemRepository
{
    private int _reads;
    private Func<Item, Task>? _afterNextRead;

    public IItemRepository Inner => inner;

    public int Reads => Volatile.Read(ref _reads);

    /// <summary>Runs once, after the next read that finds an item and before that read returns it.</summary>
    public Func<Item, Task>? AfterNextRead
    {
        set => Volatile.Write(ref _afterNextRead, value);
    }

    public async Task<Item?> FindAsync(string id, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _reads);
        var item = await inner.FindAsync(id, cancellationToken);
        if (item is not null && Interlocked.Exchange(ref _afterNextRead, null) is { } interleave)
        {
            await interleave(item);
        }

        return item;
    }

    public Task<Item> AddAsync(Item item, CancellationToken cancellationToken) => inner.AddAsync(item, cancellationToken);

    public Task<Item?> ReplaceAsync(Item item, CancellationToken cancellationToken) => inner.ReplaceAsync(item, cancellationToken);

    public Task<bool> RemoveAsync(string id, int expectedVersion, CancellationToken cancellationToken) => inner.RemoveAsync(id, expectedVersion, cancellationToken);

    public Task<ItemPage> ListAsync(string? category, int limit, string? pageToken, CancellationToken cancellationToken) =>
        inner.ListAsync(category, limit, pageToken, cancellationToken);

    public Task CheckAvailabilityAsync(CancellationToken cancellationToken) => inner.CheckAvailabilityAsync(cancellationToken);
}
