namespace CloudNativeApp.LambdaHosting.Runtime;

/// <summary>
/// Reports a startup failure to <c>/init/error</c>. Installed as an AppDomain unhandled-exception handler by
/// <see cref="LambdaHostingServiceCollectionExtensions.AddLambdaHosting"/>: whatever stops the app from starting
/// (an exception out of <c>builder.Build()</c>, options validation, a hosted service's StartAsync) escapes
/// <c>app.Run()</c> and Main, the handler posts it, and the runtime then ends the process with a non-zero code.
/// After the first <c>/next</c> it stays silent (a crash then is an invocation failure Lambda reports itself).
/// </summary>
internal static class LambdaInitErrorReporter
{
    private static int s_installed;
    private static volatile bool s_initialized;
    private static string? s_runtimeApi;

    public static void Install(string runtimeApi)
    {
        if (Interlocked.Exchange(ref s_installed, 1) == 1)
        {
            return;
        }

        s_runtimeApi = runtimeApi;
        AppDomain.CurrentDomain.UnhandledException += (_, args) =>
        {
            if (!s_initialized && args.ExceptionObject is Exception exception && s_runtimeApi is { } api)
            {
                Report(api, exception);
            }
        };
    }

    public static void MarkInitialized() => s_initialized = true;

    /// <returns>True when the Runtime API accepted the report.</returns>
    public static bool Report(string runtimeApi, Exception exception)
    {
        try
        {
            using var client = new LambdaRuntimeClient(runtimeApi);
            client.PostInitError(Unwrap(exception));
            return true;
        }
#pragma warning disable CA1031 // The process is failing already; the original exception is what matters.
        catch (Exception reportFailure)
#pragma warning restore CA1031
        {
            Console.Error.WriteLine($"Could not report the initialization error to the Lambda Runtime API: {reportFailure.Message}");
            return false;
        }
    }

    // The host wraps a single failure in an AggregateException; the caller wants the failure itself.
    private static Exception Unwrap(Exception exception)
    {
        while (exception is AggregateException { InnerExceptions.Count: 1 } aggregate)
        {
            exception = aggregate.InnerExceptions[0];
        }

        return exception;
    }
}
