using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace CloudNativeApp.LoadTest;

/// <summary>
/// A dynalite server on a fixed loopback port, optionally backed by LevelDB under <see cref="DataPath"/>, that can be
/// killed abruptly (SIGKILL, no chance to flush or close sockets) and started again on the same port and data.
/// </summary>
public sealed class DynaliteProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly string executable;
    private Process? process;

    private DynaliteProcess(string executable, int port, string? dataPath)
    {
        this.executable = executable;
        Port = port;
        DataPath = dataPath;
    }

    public int Port { get; }

    public string? DataPath { get; }

    public Uri ServiceUrl => new($"http://127.0.0.1:{Port}");

    public bool IsRunning => process is { HasExited: false };

    /// <summary>Starts dynalite from <c>&lt;repo&gt;/node_modules/.bin/dynalite</c> on a free loopback port.</summary>
    public static async Task<DynaliteProcess> StartAsync(string repositoryRoot, string? dataPath, CancellationToken cancellationToken = default)
    {
        var executable = Path.Combine(repositoryRoot, "node_modules", ".bin", "dynalite");
        if (!File.Exists(executable))
        {
            throw new FileNotFoundException($"dynalite is not installed: run `npm ci` in {repositoryRoot}.", executable);
        }

        // The port is free when chosen but another process may take it before dynalite binds it: then try another.
        for (var attempt = 1; ; attempt++)
        {
            var dynalite = new DynaliteProcess(executable, FreeLoopbackPort(), dataPath);
            try
            {
                await dynalite.StartAsync(cancellationToken);
                return dynalite;
            }
            catch (DynaliteExitedException) when (attempt < 5)
            {
                await dynalite.DisposeAsync();
            }
        }
    }

    /// <summary>Starts (again) on the same port and data path; returns once the port accepts connections.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (IsRunning)
        {
            throw new InvalidOperationException("dynalite is already running.");
        }

        var start = new ProcessStartInfo(executable)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in Arguments())
        {
            start.ArgumentList.Add(argument);
        }

        process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {executable}.");
        // Drain the pipes so a chatty child can never block on a full buffer.
        process.OutputDataReceived += static (_, _) => { };
        process.ErrorDataReceived += static (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = Stopwatch.StartNew();
        while (!await AcceptsConnectionsAsync(cancellationToken))
        {
            if (process.HasExited)
            {
                throw new DynaliteExitedException($"dynalite exited with code {process.ExitCode} while starting on port {Port} (taken?).");
            }

            if (deadline.Elapsed > StartTimeout)
            {
                throw new TimeoutException($"dynalite did not accept connections on port {Port} within {StartTimeout.TotalSeconds} s.");
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    /// <summary>SIGKILL: the server disappears mid-request, exactly like a crashed or OOM-killed database node.</summary>
    public async Task KillAsync()
    {
        if (process is null)
        {
            return;
        }

        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync();
        process.Dispose();
        process = null;
    }

    /// <summary>
    /// SIGSTOP: the server keeps its connections and accepts new ones but never answers — a hung or partitioned
    /// database, the case only a client-side timeout turns into a fast failure. <see cref="ThawAsync"/> resumes it.
    /// </summary>
    public Task FreezeAsync() => SignalAsync("STOP");

    /// <summary>SIGCONT: the frozen server resumes and answers what queued up meanwhile.</summary>
    public Task ThawAsync() => SignalAsync("CONT");

    public async ValueTask DisposeAsync()
    {
        if (IsRunning)
        {
            await ThawAsync(); // a stopped process would not die of SIGKILL until continued on some systems
        }

        await KillAsync();
    }

    private async Task SignalAsync(string signal)
    {
        var pid = process is { HasExited: false } running ? running.Id : throw new InvalidOperationException("dynalite is not running.");
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })
            ?? throw new InvalidOperationException("Could not run kill.");
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {pid} failed with exit code {kill.ExitCode}.");
        }
    }

    private IEnumerable<string> Arguments()
    {
        yield return "--host";
        yield return "127.0.0.1";
        yield return "--port";
        yield return Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        yield return "--createTableMs";
        yield return "0";
        if (DataPath is not null)
        {
            yield return "--path";
            yield return DataPath;
        }
    }

    private async Task<bool> AcceptsConnectionsAsync(CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(IPAddress.Loopback, Port, cancellationToken);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>dynalite stopped while starting, typically because its port was taken in the meantime.</summary>
public sealed class DynaliteExitedException(string message) : InvalidOperationException(message);
