using System.Text.RegularExpressions;

namespace CloudNativeApp.Items;

/// <summary>The field rules of the items contract, shared by validators, routes and page tokens.</summary>
public static partial class ItemRules
{
    public const int MaxNameLength = 200;
    public const int MaxDescriptionLength = 2000;
    public const int MaxCategoryLength = 50;
    public const int MaxTags = 20;
    public const int MaxTagLength = 50;

    /// <summary>Ids are server-generated; anything else cannot name an item, so it is a 404 without a store call.</summary>
    public static bool IsItemId(string? id) => id is not null && ItemIdPattern().IsMatch(id);

    public static bool IsCategory(string? category) => category is not null && CategoryRegex().IsMatch(category);

    public static string NewId() => Guid.CreateVersion7().ToString("N");

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex ItemIdPattern();

    public const string CategoryPattern = "^[A-Za-z0-9_-]{1,50}$";

    [GeneratedRegex(CategoryPattern)]
    private static partial Regex CategoryRegex();
}
