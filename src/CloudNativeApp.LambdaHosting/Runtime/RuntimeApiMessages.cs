namespace CloudNativeApp.LambdaHosting.Runtime;

/// <param name="Method">The HTTP method.</param>
/// <param name="Path">Absolute path and query, e.g. <c>/2018-06-01/runtime/invocation/next</c>.</param>
/// <param name="Body">The request body; empty for none.</param>
/// <param name="ContentType">The body's media type, or null.</param>
/// <param name="ExtraHeader">One more header, e.g. <c>Lambda-Runtime-Function-Error-Type</c>.</param>
internal readonly record struct RuntimeApiRequest(
    string Method,
    string Path,
    ReadOnlyMemory<byte> Body = default,
    string? ContentType = null,
    (string Name, string Value)? ExtraHeader = null);

/// <summary>A response with its body in a pooled buffer: the receiver either keeps the buffer or returns it.</summary>
internal sealed class RuntimeApiResponse(int statusCode, IReadOnlyList<KeyValuePair<string, string>> headers, byte[] body, int bodyLength)
{
    public int StatusCode { get; } = statusCode;

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; } = headers;

    public byte[] Body { get; } = body;

    public int BodyLength { get; } = bodyLength;

    public bool IsSuccess => StatusCode is >= 200 and < 300;

    public string? Header(string name)
    {
        foreach (var (key, value) in Headers)
        {
            if (key.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>Hands the body back to the pool (bodies of zero length own no pooled array).</summary>
    public void ReturnBody()
    {
        if (Body.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(Body);
        }
    }
}

/// <summary>The server closed a kept-alive connection before answering: safe to send the request again.</summary>
internal sealed class ConnectionClosedBeforeResponseException() : IOException("The Runtime API closed the connection before responding.");
