using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CloudNativeApp.LambdaHosting.Runtime;

/// <summary>
/// HTTP/1.1 to the Runtime API over one kept-alive TCP connection, one request at a time. The Runtime API is a
/// plain local HTTP server that the runtime talks to strictly in turn (<c>next</c>, then <c>response</c> or
/// <c>error</c>), so this needs no pooling, proxies, TLS, redirects or decompression: a cold start then loads and
/// runs a few hundred lines instead of <c>HttpClient</c>'s handler stack, the largest piece of work between
/// "host started" and "first event received". Bodies are framed by Content-Length or chunked transfer coding.
/// </summary>
internal sealed class RuntimeApiConnection : IDisposable
{
    private const int MaxHeadBytes = 64 * 1024;
    private static ReadOnlySpan<byte> HeadEnd => "\r\n\r\n"u8;
    private static ReadOnlySpan<byte> LineEnd => "\r\n"u8;

    private readonly EndPoint _endPoint;
    private readonly string _authority;
    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly Lock _gate = new();
    private Socket? _socket;
    private byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;
    private bool _disposed;

    // Whether the request in flight may be sent again: only until a byte of its response has arrived or, for a body
    // sent in pieces, until the server can have started to act on it.
    private bool _resendable;

    /// <param name="authority">The <c>host:port</c> of <c>AWS_LAMBDA_RUNTIME_API</c> (an IP address, <c>[v6]</c> or a host name).</param>
    public RuntimeApiConnection(string authority)
    {
        _authority = authority;
        _endPoint = ParseEndPoint(authority);
    }

    /// <summary>
    /// Sends one request and reads the whole response. A request on a kept-alive connection that the server closed
    /// meanwhile is sent once more on a new connection, as long as no byte of a response had arrived.
    /// </summary>
    public async ValueTask<RuntimeApiResponse> SendAsync(RuntimeApiRequest request, CancellationToken cancellationToken)
    {
        ThrowIfNotFieldValue(request.ContentType);
        ThrowIfNotFieldValue(request.ExtraHeader?.Name);
        ThrowIfNotFieldValue(request.ExtraHeader?.Value);
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var reused = _socket is not null;
            try
            {
                try
                {
                    return await ExchangeAsync(request, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception exception) when (reused && _resendable && IsStaleConnection(exception))
                {
                    Close();
                    return await ExchangeAsync(request, cancellationToken).ConfigureAwait(false);
                }
            }
            catch
            {
                // Cancelled or failed mid-exchange: what is left on the wire belongs to no one.
                Close();
                throw;
            }
        }
        finally
        {
            _turn.Release();
        }
    }

    /// <summary>Closes the connection; a request in flight (a long poll) fails at once rather than being waited for.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _socket?.Dispose();
        }
    }

    /// <summary>
    /// A kept connection with nothing to read: neither the server's end of stream nor unsolicited bytes (which can also
    /// be in the buffer already, read along with the last response; the caller checks that).
    /// </summary>
    private static bool IsIdle(Socket socket)
    {
        try
        {
            return !socket.Poll(0, SelectMode.SelectRead);
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static bool IsStaleConnection(Exception exception) =>
        exception is ConnectionClosedBeforeResponseException
        || exception is SocketException { SocketErrorCode: SocketError.ConnectionReset or SocketError.Shutdown or SocketError.ConnectionAborted };

    private async ValueTask<RuntimeApiResponse> ExchangeAsync(RuntimeApiRequest request, CancellationToken cancellationToken)
    {
        if (_socket is { } kept && (_end > _start || !IsIdle(kept)))
        {
            // Closed by the server while idle, or sent something nobody asked for (an idle-timeout 408): not reusable.
            Close();
        }

        var socket = _socket ?? await ConnectAsync(cancellationToken).ConfigureAwait(false);
        _resendable = true;
        if (!await WriteRequestAsync(socket, request, cancellationToken).ConfigureAwait(false))
        {
            // The server stopped reading the body and answered early (413 for an oversized response), then closed.
            var (early, _) = await ReadResponseAsync(socket, cancellationToken).ConfigureAwait(false);
            Close();
            return early;
        }

        RuntimeApiResponse response;
        bool keepAlive;
        do
        {
            (response, keepAlive) = await ReadResponseAsync(socket, cancellationToken).ConfigureAwait(false);
        }
        while (response.StatusCode is >= 100 and < 200);

        if (!keepAlive)
        {
            Close();
        }

        return response;
    }

    private async ValueTask<Socket> ConnectAsync(CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(_endPoint, cancellationToken).ConfigureAwait(false);
            lock (_gate)
            {
                // Disposed while connecting: nobody would close this socket, and a long poll on it would never end.
                ObjectDisposedException.ThrowIf(_disposed, this);
                _socket = socket;
            }

            _start = _end = 0;
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <returns>False when sending the body failed after the head went out but the server has already answered.</returns>
    private async ValueTask<bool> WriteRequestAsync(Socket socket, RuntimeApiRequest request, CancellationToken cancellationToken)
    {
        var head = new StringBuilder(256)
            .Append(request.Method).Append(' ').Append(request.Path).Append(" HTTP/1.1\r\nHost: ").Append(_authority).Append("\r\n");
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
        var headBytes = Encoding.UTF8.GetBytes(head.ToString());
        if (request.Body.Length <= 8 * 1024)
        {
            // One segment, so a small response never waits for the peer's delayed ACK between head and body.
            var whole = ArrayPool<byte>.Shared.Rent(headBytes.Length + request.Body.Length);
            try
            {
                headBytes.CopyTo(whole, 0);
                request.Body.Span.CopyTo(whole.AsSpan(headBytes.Length));
                await SendAllAsync(socket, whole.AsMemory(0, headBytes.Length + request.Body.Length), cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(whole);
            }

            return true;
        }

        await SendAllAsync(socket, headBytes, cancellationToken).ConfigureAwait(false);
        _resendable = false;
        try
        {
            await SendAllAsync(socket, request.Body, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (SocketException) when (HasDataToRead(socket))
        {
            return false;
        }
    }

    private bool HasDataToRead(Socket socket)
    {
        try
        {
            return _end > _start || socket.Available > 0;
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>CR, LF and other controls would split the request; the Runtime API's fields are visible ASCII.</summary>
    private static void ThrowIfNotFieldValue(string? value)
    {
        if (value is not null && value.AsSpan().ContainsAnyExceptInRange((char)0x20, (char)0x7E))
        {
            throw new ArgumentException($"'{value}' is not a valid HTTP field: only visible ASCII and spaces are allowed.", nameof(value));
        }
    }

    private static async ValueTask SendAllAsync(Socket socket, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        while (!bytes.IsEmpty)
        {
            var sent = await socket.SendAsync(bytes, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            bytes = bytes[sent..];
        }
    }

    private async ValueTask<(RuntimeApiResponse Response, bool KeepAlive)> ReadResponseAsync(Socket socket, CancellationToken cancellationToken)
    {
        int headLength;
        while ((headLength = _buffer.AsSpan(_start, _end - _start).IndexOf(HeadEnd)) < 0)
        {
            if (_end - _start >= MaxHeadBytes)
            {
                throw new LambdaRuntimeException($"The Runtime API sent a response head larger than {MaxHeadBytes} bytes.");
            }

            if (await FillAsync(socket, cancellationToken).ConfigureAwait(false) == 0)
            {
                throw _end == _start && _resendable
                    ? new ConnectionClosedBeforeResponseException()
                    : new LambdaRuntimeException("The Runtime API closed the connection in the middle of a response head.");
            }
        }

        var head = ParseHead(_buffer.AsSpan(_start, headLength));
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
            (body, bodyLength) = await ReadChunkedAsync(socket, cancellationToken).ConfigureAwait(false);
        }
        else if (head.ContentLength is { } contentLength)
        {
            (body, bodyLength) = await ReadExactlyAsync(socket, contentLength, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            // Neither length nor chunks: the body runs to the end of the connection (RFC 9112, 6.3).
            (body, bodyLength) = await ReadToEndAsync(socket, cancellationToken).ConfigureAwait(false);
            keepAlive = false;
        }

        return (new RuntimeApiResponse(head.StatusCode, head.Headers, body, bodyLength), keepAlive);
    }

    private async ValueTask<(byte[] Body, int Length)> ReadExactlyAsync(Socket socket, long contentLength, CancellationToken cancellationToken)
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
                var read = await socket.ReceiveAsync(body.AsMemory(copied, length - copied), SocketFlags.None, cancellationToken).ConfigureAwait(false);
                _resendable = false;
                if (read == 0)
                {
                    throw new LambdaRuntimeException($"The Runtime API closed the connection after {copied} of {length} body bytes.");
                }

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

    private async ValueTask<(byte[] Body, int Length)> ReadChunkedAsync(Socket socket, CancellationToken cancellationToken)
    {
        var body = new ArrayBufferWriter<byte>(16 * 1024);
        while (true)
        {
            var sizeLine = await ReadLineAsync(socket, cancellationToken).ConfigureAwait(false);
            var extension = sizeLine.IndexOf(';');
            var sizeText = (extension < 0 ? sizeLine : sizeLine[..extension]).Trim();
            if (!long.TryParse(sizeText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size) || size < 0 || size > Array.MaxLength - body.WrittenCount)
            {
                throw new LambdaRuntimeException($"The Runtime API sent a malformed chunk size '{sizeLine}'.");
            }

            if (size == 0)
            {
                // Trailer fields, if any, up to the empty line.
                while ((await ReadLineAsync(socket, cancellationToken).ConfigureAwait(false)).Length > 0)
                {
                }

                break;
            }

            var remaining = (int)size;
            while (remaining > 0)
            {
                if (_start == _end && await FillAsync(socket, cancellationToken).ConfigureAwait(false) == 0)
                {
                    throw new LambdaRuntimeException("The Runtime API closed the connection in the middle of a chunk.");
                }

                var take = Math.Min(remaining, _end - _start);
                body.Write(_buffer.AsSpan(_start, take));
                _start += take;
                remaining -= take;
            }

            if ((await ReadLineAsync(socket, cancellationToken).ConfigureAwait(false)).Length != 0)
            {
                throw new LambdaRuntimeException("The Runtime API sent a chunk longer than its size.");
            }
        }

        return ToPooled(body);
    }

    private async ValueTask<(byte[] Body, int Length)> ReadToEndAsync(Socket socket, CancellationToken cancellationToken)
    {
        var body = new ArrayBufferWriter<byte>(16 * 1024);
        do
        {
            body.Write(_buffer.AsSpan(_start, _end - _start));
            _start = _end;
        }
        while (await FillAsync(socket, cancellationToken).ConfigureAwait(false) > 0);

        return ToPooled(body);
    }

    /// <summary>A body of unknown length, gathered as it came, in a pooled buffer as every response body is.</summary>
    private static (byte[] Body, int Length) ToPooled(ArrayBufferWriter<byte> gathered)
    {
        var pooled = ArrayPool<byte>.Shared.Rent(Math.Max(gathered.WrittenCount, 1));
        gathered.WrittenSpan.CopyTo(pooled);
        return (pooled, gathered.WrittenCount);
    }

    private async ValueTask<string> ReadLineAsync(Socket socket, CancellationToken cancellationToken)
    {
        int length;
        while ((length = _buffer.AsSpan(_start, _end - _start).IndexOf(LineEnd)) < 0)
        {
            if (_end - _start >= MaxHeadBytes || await FillAsync(socket, cancellationToken).ConfigureAwait(false) == 0)
            {
                throw new LambdaRuntimeException("The Runtime API sent a malformed chunked body.");
            }
        }

        var line = Encoding.ASCII.GetString(_buffer, _start, length);
        _start += length + LineEnd.Length;
        return line;
    }

    /// <summary>Reads more bytes after the unread ones, compacting or growing the buffer as needed.</summary>
    private async ValueTask<int> FillAsync(Socket socket, CancellationToken cancellationToken)
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

        var read = await socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, cancellationToken).ConfigureAwait(false);
        _end += read;
        _resendable &= read == 0;
        return read;
    }

    private static ResponseHead ParseHead(ReadOnlySpan<byte> head)
    {
        var statusLineEnd = head.IndexOf(LineEnd);
        var statusLine = statusLineEnd < 0 ? head : head[..statusLineEnd];

        // "HTTP/1.1 200 OK": the version, a space, three digits.
        if (statusLine.Length < 12 || !statusLine.StartsWith("HTTP/1."u8) || statusLine[8] != (byte)' '
            || statusLine.Slice(9, 3).ContainsAnyExceptInRange((byte)'0', (byte)'9') || (statusLine.Length > 12 && statusLine[12] != (byte)' '))
        {
            throw new LambdaRuntimeException($"The Runtime API sent a malformed status line '{Encoding.ASCII.GetString(statusLine)}'.");
        }

        var statusCode = ((statusLine[9] - '0') * 100) + ((statusLine[10] - '0') * 10) + (statusLine[11] - '0');

        var http10 = statusLine[7] == (byte)'0';
        var headers = new List<KeyValuePair<string, string>>();
        long? contentLength = null;
        string? transferCoding = null;
        string? connection = null;
        var rest = statusLineEnd < 0 ? [] : head[(statusLineEnd + LineEnd.Length)..];
        while (!rest.IsEmpty)
        {
            var lineEnd = rest.IndexOf(LineEnd);
            var line = lineEnd < 0 ? rest : rest[..lineEnd];
            rest = lineEnd < 0 ? [] : rest[(lineEnd + LineEnd.Length)..];
            var colon = line.IndexOf((byte)':');
            if (colon <= 0)
            {
                throw new LambdaRuntimeException($"The Runtime API sent a malformed header line '{Encoding.ASCII.GetString(line)}'.");
            }

            var name = Encoding.ASCII.GetString(line[..colon].TrimEnd((byte)' '));
            var value = Encoding.UTF8.GetString(line[(colon + 1)..].Trim(" \t"u8));
            headers.Add(new(name, value));
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var length) || (contentLength is { } earlier && earlier != length))
                {
                    throw new LambdaRuntimeException($"The Runtime API sent an invalid Content-Length '{value}'.");
                }

                contentLength = length;
            }
            else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                transferCoding = transferCoding is null ? value : $"{transferCoding}, {value}";
            }
            else if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
            {
                connection = connection is null ? value : $"{connection}, {value}";
            }
        }

        // RFC 9112, 6.1 and 6.3: with Transfer-Encoding, Content-Length is ignored and the connection not reused;
        // a body whose last coding is not chunked runs to the end of the connection.
        var chunked = transferCoding is not null && HasToken(transferCoding, "chunked", last: true);
        var keepAlive = http10
            ? connection is not null && HasToken(connection, "keep-alive")
            : connection is null || !HasToken(connection, "close");
        if (transferCoding is not null)
        {
            keepAlive &= chunked && contentLength is null;
            contentLength = null;
        }

        return new ResponseHead(statusCode, headers, contentLength, chunked, keepAlive);
    }

    private static bool HasToken(string list, string token, bool last = false)
    {
        var tokens = list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return last
            ? tokens.Length > 0 && tokens[^1].Equals(token, StringComparison.OrdinalIgnoreCase)
            : tokens.Contains(token, StringComparer.OrdinalIgnoreCase);
    }

    private static EndPoint ParseEndPoint(string authority)
    {
        var separator = authority.LastIndexOf(':');
        if (separator <= 0 || separator == authority.Length - 1
            || !int.TryParse(authority.AsSpan(separator + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new ArgumentException($"The Runtime API address '{authority}' is not host:port.", nameof(authority));
        }

        var host = authority[..separator];
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }

        return IPAddress.TryParse(host, out var address) ? new IPEndPoint(address, port) : new DnsEndPoint(host, port);
    }

    private void Close()
    {
        lock (_gate)
        {
            _socket?.Dispose();
            _socket = null;
        }

        _start = _end = 0;
    }

    private readonly record struct ResponseHead(int StatusCode, List<KeyValuePair<string, string>> Headers, long? ContentLength, bool Chunked, bool KeepAlive);

    /// <summary>The server closed a kept-alive connection before answering: safe to send the request again.</summary>
    private sealed class ConnectionClosedBeforeResponseException() : IOException("The Runtime API closed the connection before responding.");
}

/// <param name="Path">Absolute path and query, e.g. <c>/2018-06-01/runtime/invocation/next</c>.</param>
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
