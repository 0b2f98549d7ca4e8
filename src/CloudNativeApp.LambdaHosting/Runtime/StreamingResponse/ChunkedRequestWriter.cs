using System.Runtime.InteropServices;

namespace CloudNativeApp.LambdaHosting.Runtime;

/// <summary>
/// HTTP/1.1 chunked transfer coding (RFC 9112, 7.1) for a request body sent as it is produced: the head, one chunk
/// per send (<c>{size:X}\r\n{data}\r\n</c>, written with one gathering send, no copy of the data), and the last
/// chunk with optional trailer fields.
/// </summary>
internal static class ChunkedRequestWriter
{
    private static readonly byte[] LineEnd = "\r\n"u8.ToArray();

    /// <summary>The head of a POST with a chunked body; <paramref name="headers"/> are visible ASCII (checked).</summary>
    public static byte[] Head(string authority, string path, string contentType, ReadOnlySpan<(string Name, string Value)> headers)
    {
        var head = new StringBuilder(256)
            .Append("POST ").Append(path).Append(" HTTP/1.1\r\nHost: ").Append(authority)
            .Append("\r\nTransfer-Encoding: chunked\r\nContent-Type: ").Append(contentType).Append("\r\n");
        RuntimeApiRequestWriter.ThrowIfNotFieldValue(contentType);
        foreach (var (name, value) in headers)
        {
            RuntimeApiRequestWriter.ThrowIfNotFieldValue(name);
            RuntimeApiRequestWriter.ThrowIfNotFieldValue(value);
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        head.Append("\r\n");
        var text = head.ToString();
        return Encoding.ASCII.GetBytes(text);
    }

    /// <summary>Sends <paramref name="first"/> and <paramref name="second"/> as one chunk; nothing when both are empty (an empty chunk would end the body).</summary>
    public static async ValueTask SendChunkAsync(RuntimeApiTransport transport, ReadOnlyMemory<byte> first, ReadOnlyMemory<byte> second)
    {
        var length = first.Length + second.Length;
        if (length == 0)
        {
            return;
        }

        var sizeLine = Encoding.ASCII.GetBytes(length.ToString("X", CultureInfo.InvariantCulture) + "\r\n");
        List<ArraySegment<byte>> segments = [sizeLine];
        AddSegment(segments, first);
        AddSegment(segments, second);
        segments.Add(LineEnd);
        // Not cancellable: a chunk abandoned half way would corrupt the body.
        await transport.SendAsync(segments, CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>The last chunk, then the trailer fields (visible ASCII; base64 for anything else) and the end of the body.</summary>
    public static ValueTask SendLastChunkAsync(RuntimeApiTransport transport, ReadOnlySpan<(string Name, string Value)> trailers, CancellationToken cancellationToken)
    {
        var last = new StringBuilder("0\r\n");
        foreach (var (name, value) in trailers)
        {
            RuntimeApiRequestWriter.ThrowIfNotFieldValue(name);
            RuntimeApiRequestWriter.ThrowIfNotFieldValue(value);
            last.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        last.Append("\r\n");
        return transport.SendAsync(Encoding.ASCII.GetBytes(last.ToString()), cancellationToken);
    }

    private static void AddSegment(List<ArraySegment<byte>> segments, ReadOnlyMemory<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return;
        }

        segments.Add(MemoryMarshal.TryGetArray(bytes, out var segment) ? segment : bytes.ToArray());
    }
}
