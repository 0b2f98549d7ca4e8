namespace CloudNativeApp.LambdaHosting.Tests.Runtime;

/// <summary>A TCP peer on a loopback port that runs a script per accepted connection and records what it was sent.</summary>
internal sealed class ScriptedPeer : IAsyncDisposable
{
    /// <summary>How long any step of a script may take before the test fails instead of hanging.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<ScriptedConnection, Task> _script;
    private readonly List<Task> _connections = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly Dictionary<int, TaskCompletionSource> _closed = [];
    private readonly Dictionary<int, int> _writes = [];
    private int _connectionCount;

    private ScriptedPeer(Func<ScriptedConnection, Task> script)
    {
        _script = script;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string Authority => $"127.0.0.1:{Port}";

    public int Connections => Volatile.Read(ref _connectionCount);

    public List<string> Requests { get; } = [];

    public static ScriptedPeer Start(Func<ScriptedConnection, Task> script) => new(script);

    /// <summary>Every connection: one request, then <paramref name="response"/>, then the peer closes it.</summary>
    public static ScriptedPeer AnsweringEachConnectionWith(string response) => new(connection => connection.AnswerAsync(response));

    public Task WaitForClosedAsync(int index) => Closed(index).Task.WaitAsync(Patience);

    /// <summary>Waits until connection <paramref name="index"/> has written <paramref name="writes"/> times.</summary>
    public Task WaitForWrittenAsync(int index, int writes) =>
        EventuallyAsync(() => Writes(index) >= writes, () => $"Connection {index} wrote {Writes(index)} of {writes} times.");

    internal void RecordWrite(int index)
    {
        lock (_writes)
        {
            _writes[index] = Writes(index) + 1;
        }
    }

    private int Writes(int index)
    {
        lock (_writes)
        {
            return _writes.GetValueOrDefault(index);
        }
    }

    public Task WaitForRequestsAsync(int count) =>
        EventuallyAsync(() => RequestCount >= count, () => $"The peer received {RequestCount} of {count} requests.");

    private static async Task EventuallyAsync(Func<bool> condition, Func<string> failure)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure());
            await Task.Delay(10);
        }
    }

    public int RequestCount
    {
        get
        {
            lock (Requests)
            {
                return Requests.Count;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting.ContinueWith(_ => { }, TaskScheduler.Default).WaitAsync(Patience);
        Task[] connections;
        lock (_connections)
        {
            connections = [.. _connections];
        }

        await Task.WhenAll(connections).WaitAsync(Patience);
        _stop.Dispose();
    }

    private TaskCompletionSource Closed(int index)
    {
        lock (_closed)
        {
            return _closed.TryGetValue(index, out var closed) ? closed : _closed[index] = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var socket = await _listener.AcceptSocketAsync(_stop.Token);
            socket.NoDelay = true; // a byte written alone arrives alone
            var index = Interlocked.Increment(ref _connectionCount);
            lock (_connections)
            {
                _connections.Add(RunAsync(new ScriptedConnection(socket, index, this)));
            }
        }
    }

    private async Task RunAsync(ScriptedConnection connection)
    {
        using (connection.Socket)
        {
            await _script(connection);
        }

        Closed(connection.Index).TrySetResult();
    }

    internal void Record(string request)
    {
        lock (Requests)
        {
            Requests.Add(request);
        }
    }
}

internal sealed class ScriptedConnection(Socket socket, int index, ScriptedPeer peer)
{
    private readonly List<byte> _received = [];

    public Socket Socket { get; } = socket;

    public int Index { get; } = index;

    /// <summary>Reads one request: its head and, when it announces one, its Content-Length body.</summary>
    public async Task ReadRequestAsync()
    {
        var buffer = new byte[4096];
        while (true)
        {
            var text = Encoding.UTF8.GetString([.. _received]);
            var headEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (headEnd >= 0)
            {
                var length = text[..headEnd].Split("\r\n").Where(line => line.StartsWith("Content-Length:", StringComparison.Ordinal))
                    .Select(line => int.Parse(line["Content-Length:".Length..], System.Globalization.CultureInfo.InvariantCulture)).SingleOrDefault();
                var headBytes = Encoding.UTF8.GetByteCount(text[..(headEnd + 4)]);
                if (_received.Count >= headBytes + length)
                {
                    peer.Record(Encoding.UTF8.GetString([.. _received[..(headBytes + length)]]));
                    _received.RemoveRange(0, headBytes + length);
                    return;
                }
            }

            var read = await Socket.ReceiveAsync(buffer).WaitAsync(ScriptedPeer.Patience);
            if (read == 0)
            {
                throw new IOException("The client closed the connection before sending a whole request.");
            }

            _received.AddRange(buffer.AsSpan(0, read));
        }
    }

    /// <summary>Reads one request and writes <paramref name="response"/>, whole or not, as its answer.</summary>
    public async Task AnswerAsync(string response)
    {
        await ReadRequestAsync();
        await WriteAsync(response);
    }

    public Task WriteAsync(string text) => WriteAsync(Encoding.UTF8.GetBytes(text));

    public async Task WriteAsync(byte[] bytes)
    {
        await Socket.SendAsync(bytes).WaitAsync(ScriptedPeer.Patience);
        peer.RecordWrite(Index);
    }

    /// <summary>Closes with a TCP reset, as a server does that drops a connection with unread data.</summary>
    public void Reset()
    {
        Socket.LingerState = new LingerOption(true, 0);
        Socket.Close();
    }

    /// <summary>Reads up to the end of a request head and leaves any body unread.</summary>
    public async Task ReadHeadAsync()
    {
        var buffer = new byte[4096];
        while (Encoding.ASCII.GetString([.. _received]).IndexOf("\r\n\r\n", StringComparison.Ordinal) < 0)
        {
            var read = await Socket.ReceiveAsync(buffer).WaitAsync(ScriptedPeer.Patience);
            if (read == 0)
            {
                throw new IOException("The client closed the connection before sending a request head.");
            }

            _received.AddRange(buffer.AsSpan(0, read));
        }
    }

    public async Task WaitForClientToCloseAsync()
    {
        var buffer = new byte[1];
        try
        {
            while (await Socket.ReceiveAsync(buffer).WaitAsync(ScriptedPeer.Patience) > 0)
            {
            }
        }
        catch (SocketException exception) when (exception.SocketErrorCode == SocketError.ConnectionReset)
        {
            // Closed with data unread or in flight: a reset rather than an orderly end.
        }
    }
}
