namespace CloudNativeApp.LambdaHosting.Runtime;

internal enum SnapStartOutcome
{
    /// <summary>Restored and ready: poll <c>/next</c>.</summary>
    Restored,

    /// <summary>A hook or the Runtime API failed (already reported): exit non-zero.</summary>
    Failed,

    /// <summary>The host is stopping (SIGTERM before the restore).</summary>
    Stopped,
}

/// <summary>
/// The SnapStart part of a custom runtime's lifecycle (Lambda's "runtime hooks for custom runtimes"): once the host
/// has started, prime the invocation path, run the before-snapshot hooks, wait on <c>GET /runtime/restore/next</c>
/// (Lambda snapshots the process while that call is pending and answers it after a restore), run the after-restore
/// hooks, and only then let the server poll <c>/next</c>. A before-snapshot failure is the init error
/// (<c>Runtime.BeforeSnapshotError</c>); an after-restore failure goes to <c>/restore/error</c>
/// (<c>Runtime.AfterRestoreError</c>). Either way the process then exits non-zero, as Lambda expects.
/// </summary>
internal sealed partial class SnapStartLifecycle(
    IEnumerable<ILambdaSnapshotHook> hooks,
    LambdaPrimer primer,
    IOptions<LambdaHostingOptions> options,
    ILoggerFactory loggerFactory)
{
    public const string InitializationTypeVariable = "AWS_LAMBDA_INITIALIZATION_TYPE";

    // Lambda gives the after-restore phase 10 s; hooks get a little less so a slow one is reported, not killed.
    private static readonly TimeSpan AfterRestoreBudget = TimeSpan.FromSeconds(9);

    private readonly ILogger _logger = loggerFactory.CreateLogger("CloudNativeApp.LambdaHosting.SnapStart");

    public bool IsEnabled { get; } = options.Value.SnapStart
        ?? string.Equals(Environment.GetEnvironmentVariable(InitializationTypeVariable), "snap-start", StringComparison.Ordinal);

    public async Task<SnapStartOutcome> RunAsync(string runtimeApi, InvocationProcessor process, CancellationToken stopping)
    {
        var registered = hooks.ToArray();
        try
        {
            await primer.PrimeAsync(runtimeApi, process, stopping).ConfigureAwait(false);
            for (var i = registered.Length - 1; i >= 0; i--)
            {
                await registered[i].BeforeSnapshotAsync(stopping).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return SnapStartOutcome.Stopped;
        }
#pragma warning disable CA1031 // Any failure before the snapshot is the init error.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogBeforeSnapshotFailed(_logger, exception);
            LambdaInitErrorReporter.Report(runtimeApi, new LambdaFunctionException(
                LambdaErrorTypes.BeforeSnapshotError, $"Preparing the snapshot failed: {exception.Message}", exception));
            return SnapStartOutcome.Failed;
        }

        LogWaitingForRestore(_logger, registered.Length);
        try
        {
            // Its own connection, closed once answered: the server's /next then starts on a socket opened after the
            // restore, never one that was open in the snapshot.
            using var restore = new LambdaRuntimeClient(runtimeApi);
            await restore.WaitForRestoreAsync(stopping).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException && stopping.IsCancellationRequested)
        {
            return SnapStartOutcome.Stopped;
        }
#pragma warning disable CA1031 // A restore the runtime cannot confirm must not serve invocations.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogRestoreFailed(_logger, exception);
            return SnapStartOutcome.Failed;
        }

        using var budget = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        budget.CancelAfter(AfterRestoreBudget);
        try
        {
            foreach (var hook in registered)
            {
                await hook.AfterRestoreAsync(budget.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return SnapStartOutcome.Stopped;
        }
#pragma warning disable CA1031 // Any failure after the restore is reported as the restore error.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogAfterRestoreFailed(_logger, exception);
            await ReportRestoreErrorAsync(runtimeApi, exception).ConfigureAwait(false);
            return SnapStartOutcome.Failed;
        }

        LogRestored(_logger);
        return SnapStartOutcome.Restored;
    }

    private async Task ReportRestoreErrorAsync(string runtimeApi, Exception exception)
    {
        try
        {
            using var client = new LambdaRuntimeClient(runtimeApi);
            await client.PostRestoreErrorAsync(exception, LambdaErrorTypes.AfterRestoreError, CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The process exits non-zero anyway; the hook's failure is what matters and was logged.
        catch (Exception reportFailure)
#pragma warning restore CA1031
        {
            LogReportFailed(_logger, reportFailure);
        }
    }

    [LoggerMessage(20, LogLevel.Debug, "Primed and ran {Hooks} before-snapshot hooks; waiting for the restore.")]
    private static partial void LogWaitingForRestore(ILogger logger, int hooks);

    [LoggerMessage(21, LogLevel.Debug, "Restored from the snapshot; after-restore hooks done.")]
    private static partial void LogRestored(ILogger logger);

    [LoggerMessage(22, LogLevel.Critical, "Preparing the SnapStart snapshot failed; reporting the init error.")]
    private static partial void LogBeforeSnapshotFailed(ILogger logger, Exception exception);

    [LoggerMessage(23, LogLevel.Critical, "The Runtime API did not confirm the restore (/restore/next); stopping without serving invocations.")]
    private static partial void LogRestoreFailed(ILogger logger, Exception exception);

    [LoggerMessage(24, LogLevel.Critical, "An after-restore hook failed; reporting it to /restore/error.")]
    private static partial void LogAfterRestoreFailed(ILogger logger, Exception exception);

    [LoggerMessage(25, LogLevel.Error, "Could not report the after-restore failure to the Runtime API.")]
    private static partial void LogReportFailed(ILogger logger, Exception exception);
}
