using System.Text.Unicode;
using Microsoft.Net.Http.Headers;

namespace CloudNativeApp.LambdaHosting.Translation;

/// <summary>
/// The header names API Gateway and browsers send on nearly every request, as shared strings: the event's spelling
/// is kept exactly (lower-case from HTTP APIs, as the client wrote it from REST APIs), without a string per request.
/// </summary>
internal static class KnownHeaderNames
{
    private const int MaxLength = 64;

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> Names = Create().GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The name for the UTF-8 <paramref name="utf8Name"/> (unescaped).</summary>
    public static string Get(ReadOnlySpan<byte> utf8Name)
    {
        if (utf8Name.Length <= MaxLength)
        {
            Span<char> chars = stackalloc char[MaxLength];
            if (Utf8.ToUtf16(utf8Name, chars, out _, out var written) == System.Buffers.OperationStatus.Done
                && Names.TryGetValue(chars[..written], out var known))
            {
                return known;
            }
        }

        return System.Text.Encoding.UTF8.GetString(utf8Name);
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
