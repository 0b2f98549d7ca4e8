namespace CloudNativeApp.Items.Storage;

/// <summary>
/// Item persistence. Every implementation hides expired items, makes writes conditional on the version
/// and pages with the same opaque tokens; <c>tests/.../Items/ItemRepositoryContract</c> holds them to it.
/// </summary>
public interface IItemRepository
{
    /// <summary>The item, or null when it does not exist or has expired.</summary>
    Task<Item?> FindAsync(string id, CancellationToken cancellationToken);

    /// <summary>Stores a new item (its version is ignored) and returns it with its first version.</summary>
    Task<Item> AddAsync(Item item, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the item if its stored version is still <see cref="Item.Version"/>; returns the stored item with
    /// the next version, or null when the item has changed or gone since it was read.
    /// </summary>
    Task<Item?> ReplaceAsync(Item item, CancellationToken cancellationToken);

    /// <summary>Deletes the item if its stored version is still <paramref name="expectedVersion"/>; false otherwise.</summary>
    Task<bool> RemoveAsync(string id, int expectedVersion, CancellationToken cancellationToken);

    /// <summary>
    /// A page of unexpired items: newest first within <paramref name="category"/>, or in storage order without it.
    /// Throws <see cref="InvalidPageTokenException"/> for a token this repository did not issue for this listing.
    /// </summary>
    Task<ItemPage> ListAsync(string? category, int limit, string? pageToken, CancellationToken cancellationToken);

    /// <summary>Throws <see cref="ItemStoreUnavailableException"/> when the store cannot serve requests.</summary>
    Task CheckAvailabilityAsync(CancellationToken cancellationToken);
}

/// <summary>The page token is malformed, tampered with, or belongs to another listing.</summary>
public sealed class InvalidPageTokenException : Exception
{
    public InvalidPageTokenException() : this("The page token is not valid.") { }
    public InvalidPageTokenException(string message) : base(message) { }
    public InvalidPageTokenException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>The item store is unreachable, too slow or refusing requests; the client should retry later.</summary>
public sealed class ItemStoreUnavailableException : Exception
{
    public ItemStoreUnavailableException() : this("The item store is unavailable.") { }
    public ItemStoreUnavailableException(string message) : base(message) { }
    public ItemStoreUnavailableException(string message, Exception innerException) : base(message, innerException) { }
}
