namespace CloudNativeApp.Testing;

/// <summary>Runs a command to its end with its output captured; one that outlives its time is killed with its children.</summary>
public static class ChildProcess
{
    public sealed record Result(int ExitCode, string Output, string Errors);

    /// <param name="startInfo">The command; its standard output and error are redirected here.</param>
    /// <param name="timeout">How long it may run.</param>
    /// <param name="description">How the timeout's message names the command.</param>
    public static async Task<Result> RunAsync(ProcessStartInfo startInfo, TimeSpan timeout, string description)
    {
        ArgumentNullException.ThrowIfNull(startInfo);
        startInfo.RedirectStandardOutput = true;
        startInfo.RedirectStandardError = true;
        startInfo.UseShellExecute = false;

        using var process = Process.Start(startInfo)!;
        // Both pipes are read while it runs: a full pipe would stall the command.
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{description} did not finish within {timeout}.");
        }

        return new Result(process.ExitCode, await output, await errors);
    }
}
