using System.Buffers;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace CloudNativeApp.LambdaHosting.Runtime;

/// <summary>Writes one HTTP/1.1 request (head, then a Content-Length body) to the Runtime API's transport.</summary>
internal static class RuntimeApiRequestWriter
{
    // Up to this size head and body go out as one segment, so a small response never waits for the peer's delayed
    // ACK between them.
    private const int SingleSegmentBodyLimit = 8 * 1024;

    /// <summary>CR, LF and other controls would split the request; the Runtime API's fields are visible ASCII.</summary>
    /// <exception cref="ArgumentException">A header of the request is not a valid HTTP field.</exception>
    public static void Validate(RuntimeApiRequest request)
    {
        ThrowIfNotFieldValue(request.ContentType);
        ThrowIfNotFieldValue(request.ExtraHeader?.Name);
        ThrowIfNotFieldValue(request.ExtraHeader?.Value);
    }

    /// <summary>Sends the request; <paramref name="transport"/> has nothing unread when it starts.</summary>
    /// <param name="transport">The connection's transport.</param>
    /// <param name="authority">The <c>Host</c> header value.</param>
    /// <param name="request">What to send.</param>
    /// <param name="committed">
    /// Called when the head of a large request has gone out ahead of its body: from then on the server may act on the
    /// request, so it must not be sent again.
    /// </param>
    /// <param name="cancellationToken">Ends the send.</param>
    /// <returns>False when sending the body failed after the head went out but the server has already answered.</returns>
    public static async ValueTask<bool> WriteAsync(RuntimeApiTransport transport, string authority, RuntimeApiRequest request, Action committed, CancellationToken cancellationToken)
    {
        var head = Head(authority, request);
        if (request.Body.Length <= SingleSegmentBodyLimit)
        {
            var whole = ArrayPool<byte>.Shared.Rent(head.Length + request.Body.Length);
            try
            {
                head.CopyTo(whole, 0);
                request.Body.Span.CopyTo(whole.AsSpan(head.Length));
                await transport.SendAsync(whole.AsMemory(0, head.Length + request.Body.Length), cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(whole);
            }

            return true;
        }

        await transport.SendAsync(head, cancellationToken).ConfigureAwait(false);
        committed();
        try
        {
            await transport.SendAsync(request.Body, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (SocketException) when (transport.HasDataToRead)
        {
            return false;
        }
    }

    private static byte[] Head(string authority, RuntimeApiRequest request)
    {
        var head = new StringBuilder(256)
            .Append(request.Method).Append(' ').Append(request.Path).Append(" HTTP/1.1\r\nHost: ").Append(authority).Append("\r\n");
        if (request.Method != "GET")
        {
            head.Append("Content-Length: ").Append(request.Body.Length.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        }

        if (request.ContentType is { } contentType)
        {
            head.Append("Content-Type: ").Append(contentType).Append("\r\n");
        }

        if (request.ExtraHeader is ({ } name, { } value))
        {
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        head.Append("\r\n");
        return Encoding.UTF8.GetBytes(head.ToString());
    }

    public static void ThrowIfNotFieldValue(string? value)
    {
        if (value is not null && value.AsSpan().ContainsAnyExceptInRange((char)0x20, (char)0x7E))
        {
            throw new ArgumentException($"'{value}' is not a valid HTTP field: only visible ASCII and spaces are allowed.", nameof(value));
        }
    }
}
