using System.Text.Json;
using System.Text.Json.Serialization;

namespace CloudNativeApp.LoadTest;

/// <summary>An item as the API returns it (the wire contract, not the app's types: the harness is a client).</summary>
public sealed record ItemState
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public string? Description { get; init; }

    public string? Category { get; init; }

    public IReadOnlyList<string>? Tags { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public long Version { get; init; }

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static ItemState Parse(string json) =>
        JsonSerializer.Deserialize<ItemState>(json, Json) ?? throw new JsonException("The item body was null.");

    /// <summary>True when the client-visible content is the same (tags compared as a set: their order is not part of the contract).</summary>
    public bool SameContentAs(ItemContent content) =>
        Name == content.Name
        && (Description ?? "") == (content.Description ?? "")
        && (Category ?? ItemContent.DefaultCategory) == (content.Category ?? ItemContent.DefaultCategory)
        && (Tags ?? []).Order(StringComparer.Ordinal).SequenceEqual((content.Tags ?? []).Order(StringComparer.Ordinal))
        && ExpiresAt == content.ExpiresAt;

    /// <summary>Same content, version and timestamps: what a read-back of an acknowledged write must return.</summary>
    public bool SameStoredStateAs(ItemState other) =>
        Id == other.Id && Version == other.Version && SameMillisecond(CreatedAt, other.CreatedAt) && SameMillisecond(UpdatedAt, other.UpdatedAt)
        && SameContentAs(other.Content);

    // A response may carry the clock's full precision while the store keeps milliseconds; that is not a lost write.
    private static bool SameMillisecond(DateTimeOffset left, DateTimeOffset right) =>
        left.ToUnixTimeMilliseconds() == right.ToUnixTimeMilliseconds();

    [JsonIgnore]
    public ItemContent Content => new(Name, Description, Category, Tags, ExpiresAt);

    public override string ToString() => JsonSerializer.Serialize(this, Json);
}

/// <summary>The mutable fields a client writes (POST and PUT bodies).</summary>
public sealed record ItemContent(string Name, string? Description, string? Category, IReadOnlyList<string>? Tags, DateTimeOffset? ExpiresAt)
{
    public const string DefaultCategory = "general";

    public string ToJson() => JsonSerializer.Serialize(this, ItemState.Json);

    /// <summary>RFC 7396: members in the patch replace, <c>null</c> removes, absent members stay.</summary>
    public ItemContent ApplyMergePatch(JsonObject patch)
    {
        var result = this;
        foreach (var (name, value) in patch)
        {
            result = name switch
            {
                "name" => result with { Name = value!.GetValue<string>() },
                "description" => result with { Description = value?.GetValue<string>() },
                "category" => result with { Category = value?.GetValue<string>() },
                "tags" => result with { Tags = value?.AsArray().Select(tag => tag!.GetValue<string>()).ToArray() },
                "expiresAt" => result with { ExpiresAt = value?.GetValue<DateTimeOffset>() },
                _ => throw new ArgumentException($"The harness does not patch '{name}'.", nameof(patch)),
            };
        }

        return result;
    }
}
