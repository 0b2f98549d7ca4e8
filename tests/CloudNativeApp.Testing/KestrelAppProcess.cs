using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace CloudNativeApp.Testing;

/// <summary>
/// The published app run as the container runs it (its entry point, the Native AOT <c>bootstrap</c>) on Kestrel, on a
/// free loopback port. Shared by the end-to-end and the browser tests.
/// Output is captured; disposing kills the process if it is still running.
/// </summary>
public sealed partial class KestrelAppProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> output = new();
    private readonly TaskCompletionSource<Uri> listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<int> exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Generous: a start on a busy 2-core CI machine can take seconds.</summary>
    private static readonly TimeSpan StartPatience = TimeSpan.FromSeconds(60);

    private KestrelAppProcess(Process process) => this.process = process;

    public int ProcessId => process.Id;

    /// <summary>Where Kestrel listens, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress => listening.Task.Result;

    public Task<int> Exited => exited.Task;

    public string Output => string.Join('\n', output);

    /// <summary>Starts <paramref name="executable"/> and waits until Kestrel says where it listens.</summary>
    public static async Task<KestrelAppProcess> StartAsync(string executable, IReadOnlyDictionary<string, string?> environment)
    {
        var startInfo = new ProcessStartInfo(executable)
        {
            WorkingDirectory = Path.GetDirectoryName(executable)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var name in startInfo.Environment.Keys.Where(name => name.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || name.StartsWith("DOTNET_", StringComparison.Ordinal) || name.StartsWith("AWS_", StringComparison.Ordinal)).ToList())
        {
            startInfo.Environment.Remove(name);
        }

        startInfo.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        // Test hosts must not use inotify watchers (a shared CI machine has few).
        startInfo.Environment["DOTNET_hostBuilder__reloadConfigOnChange"] = "false";
        startInfo.Environment["DOTNET_USE_POLLING_FILE_WATCHER"] = "true";
        foreach (var (name, value) in environment)
        {
            startInfo.Environment[name] = value;
        }

        var app = new KestrelAppProcess(new Process { StartInfo = startInfo, EnableRaisingEvents = true });
        app.process.OutputDataReceived += (_, line) => app.Capture(line.Data);
        app.process.ErrorDataReceived += (_, line) => app.Capture(line.Data);
        app.process.Exited += (_, _) =>
        {
            app.process.WaitForExit();
            app.exited.TrySetResult(app.process.ExitCode);
        };
        app.process.Start();
        app.process.BeginOutputReadLine();
        app.process.BeginErrorReadLine();

        var started = await Task.WhenAny(app.listening.Task, app.exited.Task).WaitAsync(StartPatience);
        if (started != app.listening.Task)
        {
            throw new InvalidOperationException($"The app exited with code {await app.exited.Task} before listening. Output:\n{app.Output}");
        }

        return app;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill.
        }

        try
        {
            await exited.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            // Killed but its exit was not reported in time; nothing more disposal can do.
        }

        process.Dispose();
    }

    private void Capture(string? line)
    {
        if (line is null)
        {
            return;
        }

        output.Enqueue(line);
        if (ListeningLine().Match(line) is { Success: true } match)
        {
            listening.TrySetResult(new Uri(match.Groups["address"].Value + "/"));
        }
    }

    [GeneratedRegex(@"Now listening on: (?<address>http://[^\s/]+)")]
    private static partial Regex ListeningLine();
}
