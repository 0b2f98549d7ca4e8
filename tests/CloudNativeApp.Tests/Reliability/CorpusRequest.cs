namespace CloudNativeApp.Tests.Reliability;

/// <summary>
/// One hostile request. <see cref="PathAndQuery"/> is sent byte for byte (no dot-segment removal or re-escaping by
/// the client), so traversal and encoded ids reach the server as written.
/// </summary>
public sealed record CorpusRequest(string Name, HttpMethod Method, string PathAndQuery)
{
    public byte[]? Body { get; init; }

    /// <summary>The Content-Type header exactly as sent; null sends none.</summary>
    public string? ContentType { get; init; }

    public IReadOnlyList<(string Name, string Value)> Headers { get; init; } = [];

    /// <summary>Sent without Content-Length (chunked), so the server cannot reject the size before reading.</summary>
    public bool Chunked { get; init; }

    /// <summary>The statuses the contract allows, when it promises any; null: any non-5xx answer is acceptable.</summary>
    public IReadOnlyList<int>? Expected { get; init; }

    /// <summary>
    /// Kestrel itself refuses the request (e.g. a NUL in the decoded path, a request line over 8 KB) before any
    /// middleware runs: the answer is the expected 4xx with an empty body, the one case the app cannot shape.
    /// </summary>
    public bool RejectedByServer { get; init; }

    public const string Json = "application/json";
    private const int LargeBody = 64 * 1024;
    public const string MergePatch = "application/merge-patch+json";

    public static CorpusRequest Get(string name, string pathAndQuery, int? expected = null) =>
        new(name, HttpMethod.Get, pathAndQuery) { Expected = Statuses(expected) };

    public static CorpusRequest WithBody(string name, HttpMethod method, string pathAndQuery, string body, string? contentType = Json, int? expected = null) =>
        new(name, method, pathAndQuery) { Body = Encoding.UTF8.GetBytes(body), ContentType = contentType, Expected = Statuses(expected) };

    public static CorpusRequest WithBytes(string name, HttpMethod method, string pathAndQuery, byte[] body, string? contentType = Json, int? expected = null) =>
        new(name, method, pathAndQuery) { Body = body, ContentType = contentType, Expected = Statuses(expected) };

    public static IReadOnlyList<int>? Statuses(int? status) => status is { } value ? [value] : null;

    public HttpRequestMessage ToHttpRequest(Uri baseAddress)
    {
        var uri = new Uri(
            baseAddress.GetLeftPart(UriPartial.Authority) + PathAndQuery,
            new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
        var request = new HttpRequestMessage(Method, uri);
        if (Body is not null)
        {
            HttpContent content = Chunked ? new StreamContent(new UnseekableStream(Body)) : new ByteArrayContent(Body);
            if (ContentType is not null)
            {
                content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
            }

            request.Content = content;
            if (Chunked)
            {
                request.Headers.TransferEncodingChunked = true;
            }
            else if (Body.Length > LargeBody)
            {
                // The server may answer (413, or 200 from an endpoint that ignores bodies) and close the connection
                // before a megabyte is sent; waiting for 100 Continue lets the client see that answer instead of a
                // broken pipe.
                request.Headers.ExpectContinue = true;
            }
        }

        foreach (var (name, value) in Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    public override string ToString()
    {
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"[{Name}] {Method} {Truncate(PathAndQuery, 200)}");
        if (ContentType is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $" Content-Type: {ContentType}");
        }

        foreach (var (name, value) in Headers)
        {
            text.Append(CultureInfo.InvariantCulture, $" {name}: {Truncate(value, 80)}");
        }

        if (Body is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $" body ({Body.Length} bytes{(Chunked ? ", chunked" : "")}): {Truncate(Encoding.UTF8.GetString(Body), 160)}");
        }

        return text.ToString();
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : $"{text[..length]}…";

    /// <summary>A stream of unknown length, so HttpClient has to send it chunked.</summary>
    private sealed class UnseekableStream(byte[] data) : MemoryStream(data, writable: false)
    {
        public override bool CanSeek => false;
    }
}
