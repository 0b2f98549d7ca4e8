namespace CloudNativeApp.Items.Storage;

/// <summary>
/// Items in process memory, for development and tests: the same version checks, expiry and page tokens as
/// <see cref="DynamoDbItemRepository"/>, and nothing survives a restart.
/// </summary>
public sealed class InMemoryItemRepository(TimeProvider timeProvider) : IItemRepository
{
    private readonly Dictionary<string, Item> _items = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public Task<Item?> FindAsync(string id, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_items.TryGetValue(id, out var item) && !item.IsExpiredAt(timeProvider.GetUtcNow()) ? item : null);
        }
    }

    public Task<Item> AddAsync(Item item, CancellationToken cancellationToken)
    {
        var stored = item with { Version = 0 };
        lock (_gate)
        {
            if (!_items.TryAdd(item.Id, stored))
            {
                throw new InvalidOperationException($"An item with id '{item.Id}' already exists.");
            }
        }

        return Task.FromResult(stored);
    }

    public Task<Item?> ReplaceAsync(Item item, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_items.TryGetValue(item.Id, out var current) || current.Version != item.Version)
            {
                return Task.FromResult<Item?>(null);
            }

            var stored = item with { Version = item.Version + 1 };
            _items[item.Id] = stored;
            return Task.FromResult<Item?>(stored);
        }
    }

    public Task<bool> RemoveAsync(string id, int expectedVersion, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_items.TryGetValue(id, out var current) && current.Version == expectedVersion && _items.Remove(id));
        }
    }

    public Task<ItemPage> ListAsync(string? category, int limit, string? pageToken, CancellationToken cancellationToken)
    {
        var start = pageToken is null ? null : PageToken.Decode(pageToken, category);
        var now = timeProvider.GetUtcNow();
        List<(PageKey Key, Item Item)> ordered;
        lock (_gate)
        {
            ordered = category is null
                ? [.. _items.Values.Select(item => (new PageKey(item.Id), item)).OrderBy(entry => entry.Item1, ScanOrder.Instance)]
                : [.. _items.Values.Where(item => item.Category == category)
                    .Select(item => (new PageKey(item.Id, item.Category, PageToken.FormatCreatedAt(item.CreatedAt)), item))
                    .OrderBy(entry => entry.Item1, IndexOrder.Instance)];
        }

        IComparer<PageKey> order = category is null ? ScanOrder.Instance : IndexOrder.Instance;
        var remaining = ordered.Where(entry => start is null || order.Compare(entry.Key, start) > 0).ToList();
        var page = remaining.Where(entry => !entry.Item.IsExpiredAt(now)).Take(limit).ToList();

        // Like DynamoDB, the token points at the last item returned whenever the listing may go on.
        var more = page.Count == limit && remaining.IndexOf(page[^1]) < remaining.Count - 1;
        return Task.FromResult(new ItemPage([.. page.Select(entry => entry.Item)], more ? PageToken.Encode(page[^1].Key) : null));
    }

    public Task CheckAvailabilityAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private sealed class ScanOrder : IComparer<PageKey>
    {
        public static readonly ScanOrder Instance = new();

        public int Compare(PageKey? x, PageKey? y) => string.CompareOrdinal(x!.Id, y!.Id);
    }

    /// <summary>The index read backwards: newest first, then by id (DynamoDB's tie-break on the table key).</summary>
    private sealed class IndexOrder : IComparer<PageKey>
    {
        public static readonly IndexOrder Instance = new();

        public int Compare(PageKey? x, PageKey? y)
        {
            var byCreatedAt = string.CompareOrdinal(y!.CreatedAt, x!.CreatedAt);
            return byCreatedAt != 0 ? byCreatedAt : string.CompareOrdinal(y.Id, x.Id);
        }
    }
}
