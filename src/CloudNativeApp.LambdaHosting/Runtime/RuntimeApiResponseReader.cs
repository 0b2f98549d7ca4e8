namespace CloudNativeApp.LambdaHosting.Runtime;

/// <summary>
/// Reads HTTP/1.1 responses from one connection's transport through a buffer kept with the connection: the head (see
/// <see cref="RuntimeApiResponseHead"/>), then a body framed by Content-Length, chunked transfer coding or the end of
/// the connection, handed over in a pooled array.
/// </summary>
internal sealed class RuntimeApiResponseReader
{
    private const int MaxHeadBytes = 64 * 1024;
    private static ReadOnlySpan<byte> HeadEnd => "\r\n\r\n"u8;
    private static ReadOnlySpan<byte> LineEnd => "\r\n"u8;

    private readonly string?[] _valueCache = RuntimeApiResponseHead.NewValueCache();
    private byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;

    /// <summary>Bytes arrived that no response has consumed (unsolicited, or read along with the last response).</summary>
    public bool HasUnreadBytes => _end > _start;

    /// <summary>A byte has arrived since <see cref="Clear"/> or <see cref="ExpectResponse"/>.</summary>
    public bool HasReceived { get; private set; }

    /// <summary>Forgets what is buffered (the connection it came from is gone).</summary>
    public void Clear()
    {
        _start = _end = 0;
        HasReceived = false;
    }

    /// <summary>A new request went out: what arrives from here on answers it.</summary>
    public void ExpectResponse() => HasReceived = false;

    /// <param name="transport">The connection's transport.</param>
    /// <param name="closeBeforeResponseIsRetryable">
    /// The request may be sent again if the server closes without answering: that close is then reported as
    /// <see cref="ConnectionClosedBeforeResponseException"/>.
    /// </param>
    /// <param name="cancellationToken">Ends the read.</param>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<(RuntimeApiResponse Response, bool KeepAlive)> ReadAsync(RuntimeApiTransport transport, bool closeBeforeResponseIsRetryable, CancellationToken cancellationToken)
    {
        int headLength;
        while ((headLength = _buffer.AsSpan(_start, _end - _start).IndexOf(HeadEnd)) < 0)
        {
            if (_end - _start >= MaxHeadBytes)
            {
                throw new LambdaRuntimeException($"The Runtime API sent a response head larger than {MaxHeadBytes} bytes.");
            }

            if (await FillAsync(transport, cancellationToken).ConfigureAwait(false) == 0)
            {
                throw _end == _start && !HasReceived && closeBeforeResponseIsRetryable
                    ? new ConnectionClosedBeforeResponseException()
                    : new LambdaRuntimeException("The Runtime API closed the connection in the middle of a response head.");
            }
        }

        var head = RuntimeApiResponseHead.Parse(_buffer.AsSpan(_start, headLength), _valueCache);
        _start += headLength + HeadEnd.Length;

        byte[] body;
        int bodyLength;
        var keepAlive = head.KeepAlive;
        if (head.StatusCode is >= 100 and < 200 or 204 or 304)
        {
            (body, bodyLength) = ([], 0);
        }
        else if (head.Chunked)
        {
            (body, bodyLength) = await ReadChunkedAsync(transport, cancellationToken).ConfigureAwait(false);
        }
        else if (head.ContentLength is { } contentLength)
        {
            (body, bodyLength) = await ReadExactlyAsync(transport, contentLength, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            // Neither length nor chunks: the body runs to the end of the connection (RFC 9112, 6.3).
            (body, bodyLength) = await ReadToEndAsync(transport, cancellationToken).ConfigureAwait(false);
            keepAlive = false;
        }

        return (new RuntimeApiResponse(head.StatusCode, head.Headers, body, bodyLength), keepAlive);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<(byte[] Body, int Length)> ReadExactlyAsync(RuntimeApiTransport transport, long contentLength, CancellationToken cancellationToken)
    {
        if (contentLength > Array.MaxLength)
        {
            throw new LambdaRuntimeException($"The Runtime API announced a {contentLength}-byte body.");
        }

        var length = (int)contentLength;
        var body = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        try
        {
            var copied = Math.Min(length, _end - _start);
            _buffer.AsSpan(_start, copied).CopyTo(body);
            _start += copied;
            while (copied < length)
            {
                // The rest of a large event goes straight into its own buffer.
                var read = await transport.ReceiveAsync(body.AsMemory(copied, length - copied), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    throw new LambdaRuntimeException($"The Runtime API closed the connection after {copied} of {length} body bytes.");
                }

                HasReceived = true;
                copied += read;
            }

            return (body, length);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(body);
            throw;
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<(byte[] Body, int Length)> ReadChunkedAsync(RuntimeApiTransport transport, CancellationToken cancellationToken)
    {
        // Gathered straight into a pooled array, which the response then owns (disposing the buffer after Detach does
        // nothing; after a failure it returns the array).
        using var gathered = new PooledBuffer();
        while (true)
        {
            var lineLength = await ReadLineAsync(transport, cancellationToken).ConfigureAwait(false);
            var size = ParseChunkSize(_buffer.AsSpan(_start, lineLength), gathered.WrittenCount);
            _start += lineLength + LineEnd.Length;
            if (size == 0)
            {
                // Trailer fields, if any, up to the empty line.
                while ((lineLength = await ReadLineAsync(transport, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    _start += lineLength + LineEnd.Length;
                }

                _start += LineEnd.Length;
                return gathered.Detach();
            }

            var remaining = size;
            while (remaining > 0)
            {
                if (_start == _end && await FillAsync(transport, cancellationToken).ConfigureAwait(false) == 0)
                {
                    throw new LambdaRuntimeException("The Runtime API closed the connection in the middle of a chunk.");
                }

                var take = Math.Min(remaining, _end - _start);
                gathered.Write(_buffer.AsSpan(_start, take));
                _start += take;
                remaining -= take;
            }

            if (await ReadLineAsync(transport, cancellationToken).ConfigureAwait(false) != 0)
            {
                throw new LambdaRuntimeException("The Runtime API sent a chunk longer than its size.");
            }

            _start += LineEnd.Length;
        }
    }

    /// <summary>The size in a chunk-size line (hex digits, then optional <c>;extensions</c>).</summary>
    private static int ParseChunkSize(ReadOnlySpan<byte> line, int gathered)
    {
        var extension = line.IndexOf((byte)';');
        var digits = (extension < 0 ? line : line[..extension]).Trim(" \t"u8);
        if (!Utf8Parser.TryParse(digits, out long size, out var consumed, 'X') || consumed != digits.Length || size < 0 || size > Array.MaxLength - gathered)
        {
            throw new LambdaRuntimeException($"The Runtime API sent a malformed chunk size '{Encoding.ASCII.GetString(line)}'.");
        }

        return (int)size;
    }

    private async ValueTask<(byte[] Body, int Length)> ReadToEndAsync(RuntimeApiTransport transport, CancellationToken cancellationToken)
    {
        using var gathered = new PooledBuffer();
        do
        {
            gathered.Write(_buffer.AsSpan(_start, _end - _start));
            _start = _end;
        }
        while (await FillAsync(transport, cancellationToken).ConfigureAwait(false) > 0);

        return gathered.Detach();
    }

    /// <summary>Waits until a whole line is buffered at the read position; returns its length without the CRLF, and does not consume it.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> ReadLineAsync(RuntimeApiTransport transport, CancellationToken cancellationToken)
    {
        int length;
        while ((length = _buffer.AsSpan(_start, _end - _start).IndexOf(LineEnd)) < 0)
        {
            if (_end - _start >= MaxHeadBytes || await FillAsync(transport, cancellationToken).ConfigureAwait(false) == 0)
            {
                throw new LambdaRuntimeException("The Runtime API sent a malformed chunked body.");
            }
        }

        return length;
    }

    /// <summary>Reads more bytes after the unread ones, compacting or growing the buffer as needed.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> FillAsync(RuntimeApiTransport transport, CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        var read = await transport.ReceiveAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
        _end += read;
        HasReceived |= read > 0;
        return read;
    }
}
