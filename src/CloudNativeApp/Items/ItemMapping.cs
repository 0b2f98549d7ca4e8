namespace CloudNativeApp.Items;

/// <summary>How requests become items; the precision rules make both stores return identical values.</summary>
internal static class ItemMapping
{
    public static Item Create(ItemRequest request, DateTimeOffset now) =>
        Apply(request, new Item(ItemRules.NewId(), "", null, Item.DefaultCategory, [], null, ToStoredInstant(now), ToStoredInstant(now), 0));

    /// <summary>The item with all of its mutable fields taken from <paramref name="request"/>.</summary>
    public static Item Apply(ItemRequest request, Item current, DateTimeOffset? now = null) => current with
    {
        Name = request.Name.Trim(),
        Description = string.IsNullOrWhiteSpace(request.Description) ? null : request.Description,
        Category = request.Category ?? Item.DefaultCategory,
        Tags = request.Tags is null ? [] : [.. request.Tags],
        ExpiresAt = request.ExpiresAt is { } expiresAt ? ToStoredExpiry(expiresAt) : null,
        UpdatedAt = now is { } updatedAt ? ToStoredInstant(updatedAt) : current.UpdatedAt,
    };

    /// <summary>DynamoDB's time-to-live works in epoch seconds.</summary>
    public static DateTimeOffset ToStoredExpiry(DateTimeOffset instant) =>
        DateTimeOffset.FromUnixTimeSeconds(instant.ToUnixTimeSeconds());

    /// <summary>DynamoDBContext stores DateTime to the millisecond.</summary>
    public static DateTimeOffset ToStoredInstant(DateTimeOffset instant) =>
        DateTimeOffset.FromUnixTimeMilliseconds(instant.ToUnixTimeMilliseconds());
}
