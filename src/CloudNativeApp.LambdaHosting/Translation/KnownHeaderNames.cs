namespace CloudNativeApp.LambdaHosting.Translation;

/// <summary>
/// The header names API Gateway and browsers send on nearly every request, as shared strings: the event's spelling
/// is kept exactly (lower-case from HTTP APIs, as the client wrote it from REST APIs), without a string per request.
/// </summary>
internal static class KnownHeaderNames
{
    // Candidates grouped by UTF-8 length: a lookup compares a handful of short byte runs, no hashing or transcoding.
    private static readonly (byte[] Utf8, string Name)[][] ByLength = Group(Create());

    /// <summary>The name for the UTF-8 <paramref name="utf8Name"/> (unescaped).</summary>
    public static string Get(ReadOnlySpan<byte> utf8Name)
    {
        if (utf8Name.Length < ByLength.Length)
        {
            foreach (var (utf8, name) in ByLength[utf8Name.Length])
            {
                if (utf8Name.SequenceEqual(utf8))
                {
                    return name;
                }
            }
        }

        return Encoding.UTF8.GetString(utf8Name);
    }

    private static (byte[] Utf8, string Name)[][] Group(HashSet<string> names)
    {
        var longest = names.Max(name => name.Length);
        var groups = new (byte[] Utf8, string Name)[longest + 1][];
        for (var length = 0; length <= longest; length++)
        {
            groups[length] = names.Where(name => name.Length == length).Select(name => (Encoding.ASCII.GetBytes(name), name)).ToArray();
        }

        return groups;
    }

    private static HashSet<string> Create()
    {
        string[] canonical =
        [
            HeaderNames.Accept, HeaderNames.AcceptEncoding, HeaderNames.AcceptLanguage, HeaderNames.Authorization,
            HeaderNames.CacheControl, HeaderNames.Connection, HeaderNames.ContentEncoding, HeaderNames.ContentLength,
            HeaderNames.ContentType, HeaderNames.Cookie, HeaderNames.Host, HeaderNames.IfMatch, HeaderNames.IfModifiedSince,
            HeaderNames.IfNoneMatch, HeaderNames.Origin, HeaderNames.Pragma, HeaderNames.Referer, HeaderNames.UserAgent,
            HeaderNames.Via, HeaderNames.TraceParent, HeaderNames.TraceState, HeaderNames.UpgradeInsecureRequests,
            "Idempotency-Key", "Sec-Fetch-Dest", "Sec-Fetch-Mode", "Sec-Fetch-Site", "Sec-Fetch-User",
            "Sec-Ch-Ua", "Sec-Ch-Ua-Mobile", "Sec-Ch-Ua-Platform", "X-Amz-Cf-Id", "X-Amzn-Trace-Id", "X-Api-Key",
            "X-Request-Id", ForwardedHeaders.For, ForwardedHeaders.Port, ForwardedHeaders.Proto,
            "CloudFront-Forwarded-Proto", "CloudFront-Is-Desktop-Viewer", "CloudFront-Is-Mobile-Viewer",
            "CloudFront-Is-SmartTV-Viewer", "CloudFront-Is-Tablet-Viewer", "CloudFront-Viewer-Country",
        ];
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in canonical)
        {
            names.Add(name);
            names.Add(name.ToLowerInvariant());
        }

        return names;
    }
}
