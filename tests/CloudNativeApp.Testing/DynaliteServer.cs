using System.Net.Sockets;

namespace CloudNativeApp.Testing;

/// <summary>
/// A local DynamoDB (dynalite, pinned in the root package.json; run <c>npm ci</c> first) on a free loopback port,
/// in memory or over an on-disk store (<paramref name="dataPath"/>). Stop and Start keep the port, so a client
/// configured with <see cref="ServiceUrl"/> sees an outage and a recovery; Freeze and Thaw make it hang instead.
/// Disposing kills the process. The one dynalite launcher of the tests and the tools.
/// </summary>
public sealed class DynaliteServer(string? dataPath = null) : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private Process? _process;
    private bool _frozen;

    public int Port { get; private set; }

    public string ServiceUrl => $"http://127.0.0.1:{Port}";

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The running process, for tests that signal it themselves.</summary>
    public int ProcessId => _process?.Id ?? throw new InvalidOperationException("dynalite is not running.");

    public static async Task<DynaliteServer> StartNewAsync(string? dataPath = null, CancellationToken cancellationToken = default)
    {
        var server = new DynaliteServer(dataPath);
        await server.StartAsync(cancellationToken);
        return server;
    }

    /// <summary>Starts dynalite on its port (a free one the first time) and waits until it accepts connections.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (IsRunning)
        {
            return;
        }

        var executable = Path.Combine(RepositoryRoot.Path, "node_modules", ".bin", "dynalite");
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"{executable} is missing: run `npm ci` in {RepositoryRoot.Path}.");
        }

        // A free port can be taken by someone else before dynalite binds it; the first start then tries another.
        var choosePort = Port == 0;
        for (var attempt = 1; ; attempt++)
        {
            if (choosePort)
            {
                Port = FreePort();
            }

            _process = Process.Start(CreateStartInfo(executable)) ?? throw new InvalidOperationException("dynalite did not start.");
            _process.OutputDataReceived += (_, _) => { };
            _process.ErrorDataReceived += (_, _) => { };
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
            if (await WaitUntilListeningAsync(cancellationToken) || !choosePort || attempt == 3)
            {
                if (!IsRunning)
                {
                    throw new InvalidOperationException($"dynalite exited with code {_process.ExitCode} before listening on port {Port}.");
                }

                return;
            }

            await StopAsync();
        }
    }

    private ProcessStartInfo CreateStartInfo(string executable)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryRoot.Path,
        };
        foreach (var argument in new[] { "--host", "127.0.0.1", "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--createTableMs", "0" })
        {
            start.ArgumentList.Add(argument);
        }

        if (dataPath is not null)
        {
            start.ArgumentList.Add("--path");
            start.ArgumentList.Add(dataPath);
        }

        return start;
    }

    /// <summary>
    /// SIGKILL, like a crashed or OOM-killed database node: connections are refused until <see cref="StartAsync"/>;
    /// on-disk data stays.
    /// </summary>
    public async Task StopAsync()
    {
        if (_process is null)
        {
            return;
        }

        if (!_process.HasExited)
        {
            if (_frozen)
            {
                Thaw(); // a stopped process may not die of SIGKILL until it is continued
            }

            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
        _process = null;
    }

    /// <summary>
    /// SIGSTOP: dynalite keeps its connections and accepts new ones but never answers, a hung or partitioned
    /// database that only a client-side timeout turns into a fast failure. <see cref="Thaw"/> resumes it.
    /// </summary>
    public void Freeze()
    {
        Signals.Freeze(ProcessId);
        _frozen = true;
    }

    /// <summary>SIGCONT: a frozen dynalite answers what queued up meanwhile.</summary>
    public void Thaw()
    {
        Signals.Thaw(ProcessId);
        _frozen = false;
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    /// <summary>True once the port accepts connections; false if dynalite exited first (e.g. the port was taken).</summary>
    private async Task<bool> WaitUntilListeningAsync(CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_process!.HasExited)
            {
                return false;
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port, cancellationToken);
                return true;
            }
            catch (SocketException) when (deadline.Elapsed < StartTimeout)
            {
                await Task.Delay(50, cancellationToken);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
