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
        // The head is written straight into a pooled buffer (with a small body after it): no string is built for it on
        // an invocation's path.
        var single = request.Body.Length <= SingleSegmentBodyLimit;
        var buffer = ArrayPool<byte>.Shared.Rent(MaxHeadLength(authority, request) + (single ? request.Body.Length : 0));
        try
        {
            var headLength = WriteHead(buffer, authority, request);
            if (single)
            {
                request.Body.Span.CopyTo(buffer.AsSpan(headLength));
                await transport.SendAsync(buffer.AsMemory(0, headLength + request.Body.Length), cancellationToken).ConfigureAwait(false);
                return true;
            }

            await transport.SendAsync(buffer.AsMemory(0, headLength), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

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

    // The field names, separators and the Content-Length digits, plus the most the strings can take in UTF-8.
    private static int MaxHeadLength(string authority, RuntimeApiRequest request) =>
        128 + Encoding.UTF8.GetMaxByteCount(request.Method.Length + request.Path.Length + authority.Length
            + (request.ContentType?.Length ?? 0) + (request.ExtraHeader?.Name.Length ?? 0) + (request.ExtraHeader?.Value.Length ?? 0));

    private static int WriteHead(Span<byte> buffer, string authority, RuntimeApiRequest request)
    {
        var at = 0;
        Append(buffer, ref at, request.Method);
        Append(buffer, ref at, " ");
        Append(buffer, ref at, request.Path);
        Append(buffer, ref at, " HTTP/1.1\r\nHost: ");
        Append(buffer, ref at, authority);
        Append(buffer, ref at, "\r\n");
        if (request.Method != "GET")
        {
            Append(buffer, ref at, "Content-Length: ");
            request.Body.Length.TryFormat(buffer[at..], out var written, default, CultureInfo.InvariantCulture);
            at += written;
            Append(buffer, ref at, "\r\n");
        }

        if (request.ContentType is { } contentType)
        {
            Append(buffer, ref at, "Content-Type: ");
            Append(buffer, ref at, contentType);
            Append(buffer, ref at, "\r\n");
        }

        if (request.ExtraHeader is ({ } name, { } value))
        {
            Append(buffer, ref at, name);
            Append(buffer, ref at, ": ");
            Append(buffer, ref at, value);
            Append(buffer, ref at, "\r\n");
        }

        Append(buffer, ref at, "\r\n");
        return at;

        static void Append(Span<byte> buffer, ref int at, string text) => at += Encoding.UTF8.GetBytes(text, buffer[at..]);
    }

    public static void ThrowIfNotFieldValue(string? value)
    {
        if (value is not null && value.AsSpan().ContainsAnyExceptInRange((char)0x20, (char)0x7E))
        {
            throw new ArgumentException($"'{value}' is not a valid HTTP field: only visible ASCII and spaces are allowed.", nameof(value));
        }
    }
}
