namespace CloudNativeApp.Items.Idempotency;

/// <summary><c>POST /items</c> with an <c>Idempotency-Key</c>: a retried request gets the first response back.</summary>
internal static class IdempotentCreation
{
    public const string HeaderName = "Idempotency-Key";
    public const int MaxKeyLength = 255;

    public static bool IsValidKey(string key) => key.Length is > 0 and <= MaxKeyLength && key.All(c => c is >= '!' and <= '~');

    /// <summary>
    /// The item this key created (creating it now if this is the first request, or if the first one stopped
    /// between reserving the key and storing the item), or null when the key was first used with another body.
    /// </summary>
    public static async Task<Item?> CreateOnceAsync(
        string key,
        CallerIdentity? caller,
        ItemRequest request,
        Item candidate,
        IItemRepository repository,
        IIdempotencyStore store,
        JsonSerializerOptions json,
        CancellationToken cancellationToken)
    {
        var scopedKey = ScopedKey(caller, key);
        var requestHash = Convert.ToHexString(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(request, json.GetTypeInfo<ItemRequest>())));
        var reservation = await store.ReserveAsync(scopedKey, requestHash, candidate.Id, cancellationToken);
        if (reservation.RequestHash != requestHash)
        {
            return null;
        }

        if (reservation.Response is { } original)
        {
            ItemStoreTelemetry.RecordReplay();
            return JsonSerializer.Deserialize(original, json.GetTypeInfo<Item>());
        }

        // A retry racing the first request (or following one that stopped halfway) stores the reserved id at most once.
        var item = await repository.FindAsync(reservation.ItemId, cancellationToken);
        if (item is null)
        {
            try
            {
                item = await repository.AddAsync(candidate with { Id = reservation.ItemId }, cancellationToken);
            }
            catch (DuplicateItemException)
            {
                item = await repository.FindAsync(reservation.ItemId, cancellationToken) ?? throw new ItemStoreUnavailableException(
                    "The item reserved by this Idempotency-Key exists but cannot be read (it may have expired).");
            }
        }

        await store.CompleteAsync(scopedKey, JsonSerializer.Serialize(item, json.GetTypeInfo<Item>()), cancellationToken);
        return item;
    }

    /// <summary>
    /// The stored key: the client's key within its caller's scope, so two callers cannot collide on (or probe) each
    /// other's keys. Each part is length-prefixed, so no two (kind, name, key) tuples give the same text (sub <c>a:b</c>
    /// with key <c>c</c> is not sub <c>a</c> with key <c>b:c</c>), and the text is hashed, so the stored key is short
    /// whatever the caller's name and holds no user ids. Anonymous callers (no authentication) share one scope.
    /// </summary>
    /// <remarks>
    /// <c>v2</c>: reservations stored before this scheme (<c>{sub}:{key}</c>) are no longer found; they expire by TTL.
    /// </remarks>
    internal static string ScopedKey(CallerIdentity? caller, string key)
    {
        var (kind, name) = caller is { } identity ? (identity.Kind, identity.Name) : ("", "");
        var tuple = $"{kind.Length}:{kind}{name.Length}:{name}{key.Length}:{key}";
        return "v2:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(tuple)));
    }
}
