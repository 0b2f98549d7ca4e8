using System.Runtime.InteropServices;

namespace CloudNativeApp.LambdaRuntimeApi;

/// <summary>
/// A published function started the way Lambda starts a custom runtime: a fresh process with Lambda's environment
/// (and little else) pointing at a <see cref="LambdaRuntimeApiServer"/>. Output is captured; disposing kills it.
/// </summary>
public sealed class LambdaFunctionProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> output = new();
    private readonly TaskCompletionSource<int> exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private LambdaFunctionProcess(Process process, long startTimestamp)
    {
        this.process = process;
        StartTimestamp = startTimestamp;
    }

    /// <summary>When the process was started (<see cref="Stopwatch.GetTimestamp"/>), for cold-start measurements.</summary>
    public long StartTimestamp { get; }

    public int ProcessId => process.Id;

    /// <summary>CPU time (user + system, all threads) the function has used so far; unlike wall time, other load does not inflate it.</summary>
    public TimeSpan TotalProcessorTime
    {
        get
        {
            process.Refresh();
            return process.TotalProcessorTime;
        }
    }

    /// <summary>Completes with the exit code when the process exits.</summary>
    public Task<int> Exited => exited.Task;

    /// <summary>Everything the function wrote to stdout and stderr so far, one entry per line.</summary>
    public IReadOnlyCollection<string> OutputLines => [.. output];

    public string Output => string.Join('\n', output);

    /// <summary>
    /// Starts <paramref name="executable"/> (an apphost, or a <c>.dll</c> run with <c>dotnet</c>) with the environment
    /// Lambda gives a function (see <see cref="LambdaEnvironment"/>) plus <paramref name="environment"/>, where a null
    /// value removes a variable.
    /// </summary>
    public static LambdaFunctionProcess Start(LambdaRuntimeApiServer api, string executable, IReadOnlyDictionary<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentException.ThrowIfNullOrEmpty(executable);
        var taskRoot = Path.GetDirectoryName(Path.GetFullPath(executable))!;
        var isDll = executable.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);
        var startInfo = new ProcessStartInfo(isDll ? DotnetHost() : executable)
        {
            WorkingDirectory = taskRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (isDll)
        {
            startInfo.ArgumentList.Add(executable);
        }

        // Lambda's environment is clean: only what it sets, so nothing from the test runner leaks into the function.
        startInfo.Environment.Clear();
        foreach (var (name, value) in LambdaEnvironment(api, taskRoot))
        {
            startInfo.Environment[name] = value;
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                startInfo.Environment.Remove(name);
            }
            else
            {
                startInfo.Environment[name] = value;
            }
        }

        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var startTimestamp = Stopwatch.GetTimestamp();
        var function = new LambdaFunctionProcess(process, startTimestamp);
        process.OutputDataReceived += (_, line) => function.Capture(line.Data);
        process.ErrorDataReceived += (_, line) => function.Capture(line.Data);
        process.Exited += (_, _) => function.OnExited();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return function;
    }

    /// <summary>The variables Lambda sets for a custom runtime (provided.al2023), with dummy credentials.</summary>
    public static IReadOnlyDictionary<string, string> LambdaEnvironment(LambdaRuntimeApiServer api, string taskRoot)
    {
        ArgumentNullException.ThrowIfNull(api);
        var options = api.Options;
        var dotnetRoot = Environment.GetEnvironmentVariable("DOTNET_ROOT") ?? Path.GetDirectoryName(DotnetHost())!;
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["AWS_LAMBDA_RUNTIME_API"] = api.RuntimeApiAddress,
            ["AWS_LAMBDA_FUNCTION_NAME"] = options.FunctionName,
            ["AWS_LAMBDA_FUNCTION_VERSION"] = "$LATEST",
            ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = "512",
            ["AWS_LAMBDA_INITIALIZATION_TYPE"] = options.SnapStart ? "snap-start" : options.MaxConcurrency is null ? "on-demand" : "lambda-managed-instances",
            ["AWS_LAMBDA_LOG_GROUP_NAME"] = $"/aws/lambda/{options.FunctionName}",
            ["AWS_LAMBDA_LOG_STREAM_NAME"] = $"{DateTime.UtcNow:yyyy/MM/dd}/[$LATEST]{Guid.NewGuid():N}",
            ["AWS_REGION"] = options.Region,
            ["AWS_DEFAULT_REGION"] = options.Region,
            ["AWS_EXECUTION_ENV"] = "AWS_Lambda_provided.al2023",
            // Lambda hands every function its role's temporary credentials; these only need to look like them.
            ["AWS_ACCESS_KEY_ID"] = "ASIAEXAMPLEEXAMPLE00",
            ["AWS_SECRET_ACCESS_KEY"] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            ["AWS_SESSION_TOKEN"] = "local-runtime-api-session-token",
            ["_HANDLER"] = "bootstrap",
            ["LAMBDA_TASK_ROOT"] = taskRoot,
            ["LAMBDA_RUNTIME_DIR"] = taskRoot,
            ["TZ"] = ":UTC",
            ["LANG"] = "en_US.UTF-8",
            ["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin",
            // Not Lambda's, but a framework-dependent build needs it to find the runtime outside the default location.
            ["DOTNET_ROOT"] = dotnetRoot,
        };
        if (options.MaxConcurrency is { } maxConcurrency)
        {
            environment["AWS_LAMBDA_MAX_CONCURRENCY"] = maxConcurrency.ToString(CultureInfo.InvariantCulture);
        }

        return environment;
    }

    /// <summary>Waits for the exit code, or fails with the captured output when the process does not exit in time.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        try
        {
            return await Exited.WaitAsync(timeout);
        }
        catch (TimeoutException exception)
        {
            throw new TimeoutException($"The function (pid {ProcessId}) did not exit within {timeout}. Output:\n{Output}", exception);
        }
    }

    /// <summary>Asks the function to stop as Lambda does at shutdown (SIGTERM), then kills it if it has not exited in time.</summary>
    public async Task<int> StopAsync(TimeSpan gracePeriod)
    {
        if (!exited.Task.IsCompleted && RuntimeInformation.IsOSPlatform(OSPlatform.Linux) && SendTerminate(process.Id) != 0)
        {
            process.Kill(entireProcessTree: true);
        }

        try
        {
            return await exited.Task.WaitAsync(gracePeriod);
        }
        catch (TimeoutException)
        {
            Kill();
            return await exited.Task.WaitAsync(gracePeriod);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        try
        {
            await exited.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            // The process did not report its exit; it was killed, which is all disposal promises.
        }

        process.Dispose();
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"pid {process.Id}: {Output}");

    private void Kill()
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
    }

    private void Capture(string? line)
    {
        if (line is not null)
        {
            output.Enqueue(line);
        }
    }

    private void OnExited()
    {
        // Exited can fire before the last output lines are read; WaitForExit() drains them first.
        process.WaitForExit();
        exited.TrySetResult(process.ExitCode);
    }

    private static string DotnetHost() =>
        Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet"
            ? path
            : Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "..", "..", "..", "dotnet");

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    private static int SendTerminate(int pid) => SendSignal(pid, 15);
}
