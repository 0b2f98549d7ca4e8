using System.Diagnostics.CodeAnalysis;

namespace CloudNativeApp.Items.Storage;

/// <summary>An item as persisted by <see cref="DynamoDBContext"/>.</summary>
[DynamoDBTable(ItemTable.DefaultTableName)]
public sealed class ItemDocument
{
    /// <summary>
    /// DynamoDBContext materialises <see cref="Tags"/> by creating a <see cref="List{T}"/> through reflection, which
    /// its annotations do not declare: without this, Native AOT trims the constructor and every save and load fails
    /// ("Cannot instantiate type System.Collections.Generic.List`1[System.String]").
    /// </summary>
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicConstructors, typeof(List<string>))]
    public ItemDocument()
    {
    }

    [DynamoDBHashKey(ItemTable.HashKeyAttribute)]
    public string Id { get; set; } = "";

    [DynamoDBProperty("name")]
    public string Name { get; set; } = "";

    [DynamoDBProperty("description")]
    public string? Description { get; set; }

    [DynamoDBGlobalSecondaryIndexHashKey(ItemTable.CategoryIndexName, AttributeName = ItemTable.CategoryAttribute)]
    public string Category { get; set; } = Item.DefaultCategory;

    /// <summary>Stored as a fixed-width ISO-8601 UTC string, so the index sorts it chronologically.</summary>
    [DynamoDBGlobalSecondaryIndexRangeKey(ItemTable.CategoryIndexName, AttributeName = ItemTable.CreatedAtAttribute)]
    public DateTime CreatedAt { get; set; }

    [DynamoDBProperty("updatedAt")]
    public DateTime UpdatedAt { get; set; }

    /// <summary>A DynamoDB list (not a string set), so an empty list survives and order is kept.</summary>
    [DynamoDBProperty("tags")]
#pragma warning disable CA2227 // DynamoDBContext materialises documents through property setters.
    public List<string> Tags { get; set; } = [];
#pragma warning restore CA2227

    /// <summary>Epoch seconds: the attribute DynamoDB's time-to-live deletes expired items by.</summary>
    [DynamoDBProperty(ItemTable.TimeToLiveAttribute, StoreAsEpochLong = true)]
    public DateTime? ExpiresAt { get; set; }

    [DynamoDBProperty("createdBy")]
    public string? CreatedBy { get; set; }

    /// <summary>Every save is conditional on this, which is what makes If-Match and concurrent writers safe.</summary>
    [DynamoDBVersion(ItemTable.VersionAttribute)]
    public int? Version { get; set; }
}
