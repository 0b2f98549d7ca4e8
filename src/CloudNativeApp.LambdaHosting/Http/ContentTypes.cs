namespace CloudNativeApp.LambdaHosting.Http;

/// <summary>Decides whether a response body can travel as a JSON string or must be base64 (binary-safe).</summary>
internal sealed class ContentTypes
{
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _binary;
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _text;

    public ContentTypes(LambdaHostingOptions options)
    {
        _binary = new HashSet<string>(options.BinaryContentTypes, StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();
        _text = new HashSet<string>(options.TextContentTypes, StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>
    /// True for text media types. Anything with a <c>Content-Encoding</c> (gzip, br) or without a content type is
    /// binary: sending such bytes as a JSON string would garble them.
    /// </summary>
    public bool IsText(string? contentType, bool hasContentEncoding)
    {
        if (hasContentEncoding || string.IsNullOrEmpty(contentType))
        {
            return false;
        }

        var mediaType = contentType.AsSpan();
        var parameters = mediaType.IndexOf(';');
        if (parameters >= 0)
        {
            mediaType = mediaType[..parameters];
        }

        mediaType = mediaType.Trim();
        if (_binary.Contains(mediaType))
        {
            return false;
        }

        if (_text.Contains(mediaType))
        {
            return true;
        }

        return mediaType.StartsWith("text/", StringComparison.OrdinalIgnoreCase)
            || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase)
            || mediaType.EndsWith("+xml", StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals("application/xml", StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals("application/javascript", StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals("application/ecmascript", StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals("application/graphql", StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals("application/x-ndjson", StringComparison.OrdinalIgnoreCase);
    }
}
