using System.ComponentModel.DataAnnotations;

namespace CloudNativeApp.Items;

/// <summary>An item as stored and as returned by the API.</summary>
/// <param name="Id">Server-generated, opaque.</param>
/// <param name="Name">1–200 characters, trimmed.</param>
/// <param name="Description">Up to 2000 characters.</param>
/// <param name="Category">Letters, digits, '-' and '_' (1–50); <c>general</c> when not given.</param>
/// <param name="Tags">Up to 20 unique tags of 1–50 characters.</param>
/// <param name="ExpiresAt">When the item disappears (whole seconds, UTC); null for never.</param>
/// <param name="CreatedAt">Set by the server (UTC, millisecond precision).</param>
/// <param name="UpdatedAt">Set by the server on every write (UTC, millisecond precision).</param>
/// <param name="Version">Incremented by the server on every write; the ETag is its quoted value.</param>
/// <param name="CreatedBy">The <c>sub</c> of the authenticated user who created it; absent for anonymous creations.</param>
public sealed record Item(
    string Id,
    string Name,
    string? Description,
    string Category,
    IReadOnlyList<string> Tags,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    int Version,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? CreatedBy = null)
{
    public const string DefaultCategory = "general";

    /// <summary>Expired items are invisible everywhere, even before DynamoDB's TTL sweep deletes them.</summary>
    public bool IsExpiredAt(DateTimeOffset now) => ExpiresAt is { } expiresAt && expiresAt <= now;

    /// <summary>The mutable fields as a request, the starting point of a merge patch.</summary>
    public ItemRequest ToRequest() => new(Name, Description, Category, [.. Tags], ExpiresAt);
}

/// <summary>The mutable fields of an item: the body of POST and PUT.</summary>
/// <remarks>
/// The annotations document the rules in the OpenAPI description; ItemRequestValidator enforces them. The tag limit
/// is documented by <see cref="ItemsOpenApi"/> instead: <c>[MaxLength]</c> on a collection reads its Count
/// by reflection, which trimming can break.
/// </remarks>
/// <param name="Name">Required, 1–200 characters after trimming.</param>
/// <param name="Description">Optional, up to 2000 characters.</param>
/// <param name="Category">Optional, 1–50 letters, digits, '-' or '_'; defaults to <c>general</c>.</param>
/// <param name="Tags">Optional, up to 20 unique tags of 1–50 characters.</param>
/// <param name="ExpiresAt">Optional ISO-8601 instant in the future; stored to the whole second.</param>
public sealed record ItemRequest(
    [property: Required, StringLength(ItemRules.MaxNameLength, MinimumLength = 1)] string Name,
    [property: StringLength(ItemRules.MaxDescriptionLength)] string? Description = null,
    [property: RegularExpression(ItemRules.CategoryPattern)] string? Category = null,
    IReadOnlyList<string>? Tags = null,
    DateTimeOffset? ExpiresAt = null);

/// <summary>
/// Documents the body of <c>PATCH /items/{id}</c> (RFC 7396 merge patch): only the fields given change,
/// and <c>null</c> removes an optional field (the category goes back to <c>general</c>).
/// </summary>
public sealed record ItemMergePatch(
    string? Name,
    string? Description,
    string? Category,
    IReadOnlyList<string>? Tags,
    DateTimeOffset? ExpiresAt);

/// <summary>Query string of <c>GET /items</c>, as its validator sees it.</summary>
/// <param name="Category">Only items of this category, newest first.</param>
/// <param name="Limit">Page size, 1–100 (default 20), as sent: parsed here so a malformed value gets a validation problem that names it.</param>
/// <param name="NextToken">The <c>nextToken</c> of the previous page.</param>
public sealed record ItemListQuery(string? Category, string? Limit, string? NextToken)
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    /// <summary>The page size; only meaningful once the validator has accepted <see cref="Limit"/>.</summary>
    public int PageSize => TryParsePageSize(Limit, out var pageSize) ? pageSize : DefaultLimit;

    /// <summary>Absent or empty means the default; otherwise an integer (parsed as minimal API binding would) in 1–<see cref="MaxLimit"/>.</summary>
    public static bool TryParsePageSize(string? limit, out int pageSize)
    {
        if (string.IsNullOrEmpty(limit))
        {
            pageSize = DefaultLimit;
            return true;
        }

        return int.TryParse(limit, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out pageSize)
            && pageSize is >= 1 and <= MaxLimit;
    }
}

/// <summary>One page of items; <c>nextToken</c> is null on the last page.</summary>
public sealed record ItemPage(IReadOnlyList<Item> Items, string? NextToken);
