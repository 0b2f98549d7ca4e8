namespace CloudNativeApp.Items;

/// <summary>
/// An <c>If-Match</c> precondition on an item's version (strong comparison, RFC 9110 §13.1.1), or the list of an
/// <c>If-None-Match</c> header (weak comparison, §13.1.2: <c>W/"3"</c> names version 3 too).
/// </summary>
public sealed class IfMatch
{
    private readonly HashSet<int> _versions;
    private readonly bool _any;

    private IfMatch(bool any, HashSet<int> versions) => (_any, _versions) = (any, versions);

    public static string ETag(int version) => $"\"{version}\"";

    /// <summary>Null (no header), a precondition, or false for a header that is not a list of entity tags.</summary>
    public static bool TryParse(string? header, out IfMatch? precondition) => TryParse(header, weak: false, out precondition);

    /// <summary>Null (no header), the tags of an <c>If-None-Match</c> header, or false for a header that is not a list of entity tags.</summary>
    public static bool TryParseNoneMatch(string? header, out IfMatch? condition) => TryParse(header, weak: true, out condition);

    private static bool TryParse(string? header, bool weak, out IfMatch? precondition)
    {
        precondition = null;
        if (header is null)
        {
            return true;
        }

        if (!EntityTagHeaderValue.TryParseStrictList([header], out var tags) || tags.Count == 0)
        {
            return false;
        }

        var any = tags.Any(tag => tag.Equals(EntityTagHeaderValue.Any));
        var versions = tags.Where(tag => weak || !tag.IsWeak).Select(VersionOf).OfType<int>().ToHashSet();
        precondition = new IfMatch(any, versions);
        return true;
    }

    // Weak tags never match under strong comparison, and only our own "<version>" tags can match at all.
    private static int? VersionOf(EntityTagHeaderValue tag) =>
        tag.Tag.Length > 2
        && int.TryParse(tag.Tag.AsSpan(1, tag.Tag.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            ? version
            : null;

    public bool Matches(int version) => _any || _versions.Contains(version);
}
