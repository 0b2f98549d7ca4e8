namespace CloudNativeApp.LambdaHosting.Runtime;

/// <summary>
/// HTTP/1.1 to the Runtime API over one kept-alive TCP connection, one request at a time. The Runtime API is a
/// plain local HTTP server that the runtime talks to strictly in turn (<c>next</c>, then <c>response</c> or
/// <c>error</c>), so this needs no pooling, proxies, TLS, redirects or decompression: a cold start then loads and
/// runs a few hundred lines instead of <c>HttpClient</c>'s handler stack, the largest piece of work between
/// "host started" and "first event received". This type owns the connection's lifetime (connect, reuse, resend,
/// close); <see cref="RuntimeApiRequestWriter"/> writes requests, <see cref="ChunkedRequest"/> streams a response
/// to the Runtime API and <see cref="RuntimeApiResponseReader"/> reads responses.
/// </summary>
internal sealed class RuntimeApiConnection : IDisposable
{
    private readonly Func<CancellationToken, ValueTask<RuntimeApiTransport>> _connect;
    private readonly string _authority;
    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly Lock _gate = new();
    private readonly RuntimeApiResponseReader _reader = new();
    private readonly Action _markCommitted;
    private RuntimeApiTransport? _transport;
    private bool _disposed;

    // The request in flight reached the server in parts (a large body after its head): it must not be sent again.
    private bool _committed;

    /// <param name="authority">The <c>host:port</c> of <c>AWS_LAMBDA_RUNTIME_API</c> (an IP address, <c>[v6]</c> or a host name).</param>
    /// <param name="blockingIo">Blocking socket calls on the caller's thread (see <see cref="SocketTransport"/>).</param>
    public RuntimeApiConnection(string authority, bool blockingIo = false)
    {
        var endPoint = ParseEndPoint(authority);
        _authority = authority;
        _connect = cancellationToken => SocketTransport.ConnectAsync(endPoint, blockingIo, cancellationToken);
        _markCommitted = () => _committed = true;
    }

    /// <summary>A connection over transports from <paramref name="connect"/> (memory, for priming the client).</summary>
    public RuntimeApiConnection(string authority, Func<CancellationToken, ValueTask<RuntimeApiTransport>> connect)
    {
        _authority = authority;
        _connect = connect;
        _markCommitted = () => _committed = true;
    }

    /// <summary>The <c>host:port</c> requests name in their Host header.</summary>
    public string Authority => _authority;

    // Whether the request in flight may be sent again: only until a byte of its response has arrived or, for a body
    // sent in pieces, until the server can have started to act on it.
    private bool Resendable => !_committed && !_reader.HasReceived;

    /// <summary>
    /// Sends one request and reads the whole response. A request on a kept-alive connection that the server closed
    /// meanwhile is sent once more on a new connection, as long as no byte of a response had arrived.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<RuntimeApiResponse> SendAsync(RuntimeApiRequest request, CancellationToken cancellationToken)
    {
        RuntimeApiRequestWriter.Validate(request);
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var reused = _transport is not null;
            try
            {
                try
                {
                    return await ExchangeAsync(request, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception exception) when (reused && Resendable && IsStaleConnection(exception))
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

    /// <summary>
    /// Sends the head of a request whose body follows in chunks, and holds the connection for it until the returned
    /// request is disposed, which closes the connection (the Runtime API requires that after a streamed response; the
    /// next request connects again). A kept connection the server closed meanwhile is replaced before the head goes out.
    /// </summary>
    public async ValueTask<ChunkedRequest> OpenChunkedAsync(ReadOnlyMemory<byte> head, CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var reused = _transport is not null;
            try
            {
                return new ChunkedRequest(this, await SendHeadAsync(head, cancellationToken).ConfigureAwait(false));
            }
            catch (Exception exception) when (reused && IsStaleConnection(exception))
            {
                Close();
                return new ChunkedRequest(this, await SendHeadAsync(head, cancellationToken).ConfigureAwait(false));
            }
        }
        catch
        {
            Close();
            _turn.Release();
            throw;
        }
    }

    /// <summary>Reads the answer to the chunked request on <paramref name="transport"/>.</summary>
    internal async ValueTask<RuntimeApiResponse> ReadChunkedResponseAsync(RuntimeApiTransport transport, CancellationToken cancellationToken)
    {
        RuntimeApiResponse response;
        do
        {
            (response, _) = await _reader.ReadAsync(transport, closeBeforeResponseIsRetryable: false, cancellationToken).ConfigureAwait(false);
        }
        while (response.StatusCode is >= 100 and < 200);

        return response;
    }

    /// <summary>The chunked request is over: close its connection and let the next request have a turn.</summary>
    internal void EndChunked()
    {
        Close();
        _turn.Release();
    }

    /// <summary>Closes the connection; a request in flight (a long poll) fails at once rather than being waited for.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _transport?.Dispose();
        }
    }

    private static bool IsStaleConnection(Exception exception) =>
        exception is ConnectionClosedBeforeResponseException
        || exception is SocketException { SocketErrorCode: SocketError.ConnectionReset or SocketError.Shutdown or SocketError.ConnectionAborted };

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<RuntimeApiResponse> ExchangeAsync(RuntimeApiRequest request, CancellationToken cancellationToken)
    {
        if (_transport is { } kept && (_reader.HasUnreadBytes || !kept.IsIdle))
        {
            // Closed by the server while idle, or sent something nobody asked for (an idle-timeout 408): not reusable.
            Close();
        }

        var transport = _transport ?? await ConnectAsync(cancellationToken).ConfigureAwait(false);
        _committed = false;
        _reader.ExpectResponse();
        if (!await RuntimeApiRequestWriter.WriteAsync(transport, _authority, request, _markCommitted, cancellationToken).ConfigureAwait(false))
        {
            // The server stopped reading the body and answered early (413 for an oversized response), then closed.
            var (early, _) = await _reader.ReadAsync(transport, closeBeforeResponseIsRetryable: false, cancellationToken).ConfigureAwait(false);
            Close();
            return early;
        }

        RuntimeApiResponse response;
        bool keepAlive;
        do
        {
            (response, keepAlive) = await _reader.ReadAsync(transport, !_committed, cancellationToken).ConfigureAwait(false);
        }
        while (response.StatusCode is >= 100 and < 200);

        if (!keepAlive)
        {
            Close();
        }

        return response;
    }

    private async ValueTask<RuntimeApiTransport> SendHeadAsync(ReadOnlyMemory<byte> head, CancellationToken cancellationToken)
    {
        if (_transport is { } kept && (_reader.HasUnreadBytes || !kept.IsIdle))
        {
            Close();
        }

        var transport = _transport ?? await ConnectAsync(cancellationToken).ConfigureAwait(false);
        _reader.ExpectResponse();
        await transport.SendAsync(head, cancellationToken).ConfigureAwait(false);
        return transport;
    }

    private async ValueTask<RuntimeApiTransport> ConnectAsync(CancellationToken cancellationToken)
    {
        var transport = await _connect(cancellationToken).ConfigureAwait(false);
        try
        {
            lock (_gate)
            {
                // Disposed while connecting: nobody would close this socket, and a long poll on it would never end.
                ObjectDisposedException.ThrowIf(_disposed, this);
                _transport = transport;
            }

            _reader.Clear();
            return transport;
        }
        catch
        {
            transport.Dispose();
            throw;
        }
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
            _transport?.Dispose();
            _transport = null;
        }

        _reader.Clear();
    }
}
