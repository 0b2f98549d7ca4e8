namespace CloudNativeApp.LambdaHosting.Runtime;

/// <summary>
/// The byte stream under one Runtime API connection: a TCP socket in production, or memory when priming the client
/// before a SnapStart snapshot (no socket may be open in the snapshot). <see cref="RuntimeApiRequestWriter"/> and
/// <see cref="RuntimeApiResponseReader"/> only see this.
/// </summary>
internal abstract class RuntimeApiTransport : IDisposable
{
    public abstract ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken);

    public abstract ValueTask SendAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken);

    /// <summary>Sends <paramref name="buffers"/> in order; a socket does it in one gathering write (a streamed chunk).</summary>
    public virtual async ValueTask SendAsync(List<ArraySegment<byte>> buffers, CancellationToken cancellationToken)
    {
        foreach (var buffer in buffers)
        {
            await SendAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Bytes have arrived that nobody read yet (a server that answered before the request was sent).</summary>
    public abstract bool HasDataToRead { get; }

    /// <summary>Kept open with nothing to read: neither closed by the peer nor sent anything unasked.</summary>
    public abstract bool IsIdle { get; }

    public abstract void Dispose();
}

/// <summary>
/// A TCP connection to the Runtime API. Asynchronous by default. With <c>blocking</c> every call is a plain blocking
/// system call on the calling thread and returns a completed task: a Managed Instances worker on its own thread then
/// polls <c>/next</c> and posts responses without waiting for a thread-pool thread (socket completions are otherwise
/// dispatched to the pool, which blocking handlers can exhaust). A blocked call is ended by <see cref="Dispose"/>.
/// </summary>
internal sealed class SocketTransport : RuntimeApiTransport
{
    private readonly Socket _socket;
    private readonly bool _blocking;

    private SocketTransport(Socket socket, bool blocking)
    {
        _socket = socket;
        _blocking = blocking;
    }

    public static async ValueTask<RuntimeApiTransport> ConnectAsync(EndPoint endPoint, bool blocking, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (blocking)
            {
                cancellationToken.ThrowIfCancellationRequested();
                socket.Connect(endPoint);
            }
            else
            {
                await socket.ConnectAsync(endPoint, cancellationToken).ConfigureAwait(false);
            }

            return new SocketTransport(socket, blocking);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public override bool HasDataToRead
    {
        get
        {
            try
            {
                return _socket.Available > 0;
            }
            catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
            {
                return false;
            }
        }
    }

    public override bool IsIdle
    {
        get
        {
            try
            {
                return !_socket.Poll(0, SelectMode.SelectRead);
            }
            catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
            {
                return false;
            }
        }
    }

    public override ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken) =>
        _blocking ? new(_socket.Receive(buffer.Span, SocketFlags.None)) : _socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public override async ValueTask SendAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        while (!bytes.IsEmpty)
        {
            var sent = _blocking
                ? _socket.Send(bytes.Span, SocketFlags.None)
                : await _socket.SendAsync(bytes, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            bytes = bytes[sent..];
        }
    }

    /// <summary>One sendmsg for all of them; a stream socket may still take only part, so the rest is sent after.</summary>
    public override async ValueTask SendAsync(List<ArraySegment<byte>> buffers, CancellationToken cancellationToken)
    {
        while (buffers.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var sent = _blocking ? _socket.Send(buffers, SocketFlags.None) : await _socket.SendAsync(buffers, SocketFlags.None).ConfigureAwait(false);
            while (sent > 0)
            {
                var first = buffers[0];
                if (sent >= first.Count)
                {
                    sent -= first.Count;
                    buffers.RemoveAt(0);
                }
                else
                {
                    buffers[0] = first[sent..];
                    sent = 0;
                }
            }
        }
    }

    public override void Dispose() => _socket.Dispose();
}
