namespace CloudNativeApp.Items;

public enum ItemStoreKind
{
    DynamoDB,
    InMemory,
}

/// <summary>The <c>Items</c> configuration section (environment variables <c>Items__Store</c>, <c>Items__TableName</c>, …).</summary>
public sealed class ItemStoreOptions
{
    public const string SectionName = "Items";

    /// <summary>Where items live. Unset: in memory in Development, DynamoDB everywhere else.</summary>
    public ItemStoreKind? Store { get; set; }

    /// <summary>The DynamoDB table. Unset: <c>Items</c> in Development; required everywhere else.</summary>
    public string? TableName { get; set; }

    /// <summary>Create the table (with its index) at startup when it is missing: for local DynamoDB, not production.</summary>
    public bool CreateTable { get; set; }

    /// <summary>
    /// Deadline for one store operation, SDK retries included. A dead or frozen DynamoDB turns into a 503 this fast.
    /// </summary>
    public double TimeoutSeconds { get; set; } = 3;

    /// <summary>The Retry-After clients get with a 503 when the store is unavailable.</summary>
    public int RetryAfterSeconds { get; set; } = 5;

    public TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSeconds);
}
