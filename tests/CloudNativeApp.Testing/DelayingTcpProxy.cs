using System.Net.Sockets;
using System.Threading.Channels;

namespace CloudNativeApp.Testing;

/// <summary>
/// A TCP proxy on a free loopback port in front of <c>upstream</c> (dynalite) that holds every byte from the client
/// for <see cref="Delay"/> before passing it on: a remote DynamoDB's round trip, with dynalite's answers. A delay
/// line, not a delay per read, so a request written in pieces is late once. It also counts, per connection
/// "epoch" (<see cref="StartNewEpoch"/>), whether a connection opened before the epoch carries traffic after it:
/// a client reusing a socket from before a SnapStart snapshot.
/// </summary>
public sealed class DelayingTcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _upstream;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Socket> _sockets = [];
    private readonly Lock _gate = new();
    private readonly Task _accepting;
    private int _epoch;
    private int _connections;
    private int _requestsOnOldConnections;

    public DelayingTcpProxy(IPEndPoint upstream, TimeSpan delay)
    {
        _upstream = upstream;
        Delay = delay;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public TimeSpan Delay { get; }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string ServiceUrl => $"http://127.0.0.1:{Port}";

    /// <summary>Connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Times a connection opened before the current epoch sent bytes in it.</summary>
    public int RequestsOnOldConnections => Volatile.Read(ref _requestsOnOldConnections);

    public static DelayingTcpProxy InFrontOf(DynaliteServer dynalite, TimeSpan delay)
    {
        ArgumentNullException.ThrowIfNull(dynalite);
        return new DelayingTcpProxy(new IPEndPoint(IPAddress.Loopback, dynalite.Port), delay);
    }

    /// <summary>From now on traffic on a connection accepted before counts in <see cref="RequestsOnOldConnections"/>.</summary>
    public void StartNewEpoch() => Interlocked.Increment(ref _epoch);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        lock (_gate)
        {
            foreach (var socket in _sockets)
            {
                socket.Dispose();
            }
        }

        try
        {
            await _accepting;
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            var client = await _listener.AcceptSocketAsync(_stopping.Token);
            Interlocked.Increment(ref _connections);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(Socket client)
    {
        var upstream = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        client.NoDelay = true;
        lock (_gate)
        {
            _sockets.Add(client);
            _sockets.Add(upstream);
        }

        var epoch = Volatile.Read(ref _epoch);
        try
        {
            await upstream.ConnectAsync(_upstream, _stopping.Token);
            var requests = Channel.CreateUnbounded<(long Due, byte[] Bytes)>();
            await Task.WhenAny(
                ReadRequestsAsync(client, requests.Writer, epoch),
                ForwardLateAsync(requests.Reader, upstream),
                CopyAsync(upstream, client));
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException or ChannelClosedException)
        {
        }
        finally
        {
            client.Dispose();
            upstream.Dispose();
        }
    }

    private async Task ReadRequestsAsync(Socket client, ChannelWriter<(long Due, byte[] Bytes)> requests, int epoch)
    {
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await client.ReceiveAsync(buffer, SocketFlags.None, _stopping.Token)) > 0)
        {
            if (Volatile.Read(ref _epoch) != epoch)
            {
                Interlocked.Increment(ref _requestsOnOldConnections);
            }

            var due = Stopwatch.GetTimestamp() + (long)(Delay.TotalSeconds * Stopwatch.Frequency);
            await requests.WriteAsync((due, buffer[..read]), _stopping.Token);
        }

        requests.Complete();
    }

    private async Task ForwardLateAsync(ChannelReader<(long Due, byte[] Bytes)> requests, Socket upstream)
    {
        await foreach (var (due, bytes) in requests.ReadAllAsync(_stopping.Token))
        {
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, _stopping.Token);
            }

            await upstream.SendAsync(bytes, SocketFlags.None, _stopping.Token);
        }

        // Let the requests reach the server before the connection goes.
        await Task.Delay(Timeout.Infinite, _stopping.Token);
    }

    private async Task CopyAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await from.ReceiveAsync(buffer, SocketFlags.None, _stopping.Token)) > 0)
        {
            await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stopping.Token);
        }
    }
}
