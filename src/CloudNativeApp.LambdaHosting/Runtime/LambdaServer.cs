using Microsoft.Extensions.Hosting;

using CloudNativeApp.LambdaHosting.Logging;

namespace CloudNativeApp.LambdaHosting.Runtime;

/// <summary>
/// The IServer that replaces Kestrel in Lambda: once the host has started (ApplicationStarted has fired, hosted
/// services are running), it pulls invocations from the Runtime API and runs them through the pipeline in process:
/// one at a time, or up to N at once on Lambda Managed Instances (<see cref="InvocationWorkers"/>). With SnapStart it
/// first primes the invocation path and waits for the restore (<see cref="SnapStartLifecycle"/>). Stopping the host
/// (SIGTERM) ends polling at once and lets the invocations in flight finish.
/// </summary>
internal sealed partial class LambdaServer(
    LambdaRuntimeClient client,
    IOptions<LambdaHostingOptions> options,
    IHostApplicationLifetime lifetime,
    DirectInvocationDispatcher directInvocations,
    LambdaContextAccessor contextAccessor,
    SnapStartLifecycle snapStart,
    IEnumerable<ILambdaInvocationObserver> observers,
    ILoggerFactory loggerFactory) : IServer
{
    // Response buffers above this size are dropped after the invocation rather than kept for the process lifetime.
    internal const int RetainedResponseCapacity = 256 * 1024;

    private const string TraceIdVariable = "_X_AMZN_TRACE_ID";

    private readonly ILogger _logger = loggerFactory.CreateLogger("CloudNativeApp.LambdaHosting.LambdaServer");
    private readonly CancellationTokenSource _stopping = new();
    private readonly ILambdaInvocationObserver[] _observers = [.. observers];
    private readonly LambdaConcurrency _concurrency = LambdaConcurrency.Resolve(options.Value.MaxConcurrency, Environment.GetEnvironmentVariable(LambdaConcurrency.Variable));
    private Task _loop = Task.CompletedTask;
    private CancellationTokenRegistration _startedRegistration;
    private bool _disposed;

    public IFeatureCollection Features { get; } = new FeatureCollection();

    public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
        where TContext : notnull
    {
        var invocationLogger = loggerFactory.CreateLogger("CloudNativeApp.LambdaHosting.Invocation");

        // One invoker per poller: each pools its own features and buffers, so concurrent invocations share nothing.
        // Priming invocations (before a SnapStart snapshot) are not observed: they are no one's request.
        InvocationProcessor CreateProcessor(bool observed)
        {
            var invoker = new LambdaHttpInvoker<TContext>(application, options.Value, invocationLogger);
            return (runtime, invocation, response) => ProcessAsync(invoker, runtime, invocation, response, observed);
        }

        // Returning now lets the host finish starting; the first /next waits until it has, so a hosted service that
        // fails to start is still an init error rather than a failed invocation.
        _startedRegistration = lifetime.ApplicationStarted.Register(() => _loop = Task.Run(() => RunAsync(CreateProcessor)));
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // A host can be stopped again after it was disposed (WebApplicationFactory stops the app that Program's Run
        // already stopped and disposed): by then there is nothing left to stop.
        if (Volatile.Read(ref _disposed))
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, true))
        {
            return;
        }

        _startedRegistration.Dispose();
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private async Task RunAsync(Func<bool, InvocationProcessor> createProcessor)
    {
        if (_concurrency.Problem is { } problem)
        {
            LogConcurrencyProblem(_logger, problem);
        }

        if (snapStart.IsEnabled)
        {
            var outcome = await snapStart.RunAsync(client.RuntimeApi, createProcessor(false), _stopping.Token).ConfigureAwait(false);
            if (outcome != SnapStartOutcome.Restored)
            {
                Stop(failed: outcome == SnapStartOutcome.Failed);
                return;
            }
        }

        LambdaInitErrorReporter.MarkInitialized();
        LogListening(_logger, client.BaseAddress, _concurrency.Workers);
        if (_concurrency.IsMultiConcurrent)
        {
            var workers = new InvocationWorkers(client.RuntimeApi, () => createProcessor(true), _logger);
            await workers.RunAsync(_concurrency.Workers, () => Stop(failed: true), _stopping.Token).ConfigureAwait(false);
            return;
        }

        await PollOneAtATimeAsync(createProcessor(true)).ConfigureAwait(false);
    }

    private async Task PollOneAtATimeAsync(InvocationProcessor process)
    {
        var response = new ArrayBufferWriter<byte>(16 * 1024);
        while (!_stopping.IsCancellationRequested)
        {
            LambdaInvocation invocation;
            try
            {
                invocation = await client.GetNextInvocationAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // Without the Runtime API the function cannot work: stop the process with a failure code.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                LogRuntimeApiFailed(_logger, exception);
                Stop(failed: true);
                break;
            }

            using (invocation)
            {
                if (!await process(client, invocation, response).ConfigureAwait(false))
                {
                    Stop(failed: true);
                    break;
                }
            }

            if (response.Capacity > RetainedResponseCapacity)
            {
                response = new ArrayBufferWriter<byte>(16 * 1024);
            }
        }
    }

    private void Stop(bool failed)
    {
        if (failed)
        {
            Environment.ExitCode = 1;
        }

        lifetime.StopApplication();
    }

    /// <returns>False when the Runtime API failed in a way the function cannot recover from.</returns>
    private async Task<bool> ProcessAsync<TContext>(LambdaHttpInvoker<TContext> invoker, LambdaRuntimeClient runtime, LambdaInvocation invocation, ArrayBufferWriter<byte> response, bool observed)
        where TContext : notnull
    {
        var context = invocation.Context;

        // Process-wide, so only safe while one invocation runs at a time; concurrent ones carry the trace id in their
        // context, log scope, Activity and X-Amzn-Trace-Id request header instead (as AWS's runtime does).
        if (!_concurrency.IsMultiConcurrent)
        {
            Environment.SetEnvironmentVariable(TraceIdVariable, context.TraceId);
        }

        contextAccessor.Current = context;
        using var scope = _logger.BeginScope(new LambdaRequestScope(context.AwsRequestId, context.TraceId));
        var started = Stopwatch.GetTimestamp();
        var outcome = new InvocationOutcome();
        var observers = observed ? _observers : [];
        foreach (var observer in observers)
        {
            observer.InvocationStarting(context);
        }

        // After the observers start: what the invocation records (its cold start too) is this invocation's.
        var activity = InvocationActivity.Start(context.AwsRequestId, context.TraceId, context.InvokedFunctionArn, context.FunctionName, observed && InvocationActivity.TakeColdStart());

        try
        {
            return await ProcessInvocationAsync(invoker, runtime, invocation, response, outcome).ConfigureAwait(false);
        }
        finally
        {
            contextAccessor.Current = null;

            // Ended before the observers run, so a flush there exports it.
            InvocationActivity.Complete(activity, outcome.Kind, outcome.ErrorType, started);
            activity?.Dispose();
            foreach (var observer in observers)
            {
                await ObserveCompletionAsync(observer, context).ConfigureAwait(false);
            }
        }
    }

    private async Task ObserveCompletionAsync(ILambdaInvocationObserver observer, ILambdaContext context)
    {
        try
        {
            await observer.InvocationCompletedAsync(context).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Telemetry that fails must not fail the function: the result is already posted.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogObserverFailed(_logger, exception);
        }
    }

    private async Task<bool> ProcessInvocationAsync<TContext>(LambdaHttpInvoker<TContext> invoker, LambdaRuntimeClient runtime, LambdaInvocation invocation, ArrayBufferWriter<byte> response, InvocationOutcome outcome)
        where TContext : notnull
    {
        var context = invocation.Context;
        var requestId = context.AwsRequestId;
        using var deadline = new CancellationTokenSource();
        var remaining = context.RemainingTime;
        if (remaining > TimeSpan.Zero)
        {
            deadline.CancelAfter(remaining);
        }
        else
        {
            await deadline.CancelAsync().ConfigureAwait(false);
        }

        response.ResetWrittenCount();
        using var streaming = options.Value.ResponseStreaming ? new RuntimeApiStreamingResponse(runtime, requestId) : null;
        try
        {
            var kind = await invoker.InvokeAsync(invocation.Event, response, streaming, context, deadline.Token).ConfigureAwait(false);
            outcome.Kind = kind;
            if (kind == LambdaInvocationKind.StreamedHttpResponse)
            {
                LogStreamedResponseOutcome(streaming!);
                return true;
            }

            if (kind == LambdaInvocationKind.NotHttpEvent)
            {
                await directInvocations.InvokeAsync(invocation.Event, response, context, deadline.Token).ConfigureAwait(false);
            }
        }
#pragma warning disable CA1031 // Any failure of one invocation is reported as its function error; the loop goes on.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            outcome.ErrorType = LambdaErrorPayload.GetErrorType(exception);
            LogInvocationFailed(_logger, exception, outcome.ErrorType);
            return await PostErrorAsync(runtime, requestId, exception).ConfigureAwait(false);
        }

        if (response.WrittenCount > LambdaHttpInvoker<TContext>.MaxBufferedResponseBytes)
        {
            // Posting it would get a 413, after which Lambda refuses /error too: the caller would only see a generic failure.
            outcome.ErrorType = LambdaErrorTypes.ResponseTooLarge;
            return await PostErrorAsync(runtime, requestId, new LambdaFunctionException(
                LambdaErrorTypes.ResponseTooLarge,
                $"The response ({response.WrittenCount} bytes) is larger than the {LambdaHttpInvoker<TContext>.MaxBufferedResponseBytes} bytes Lambda accepts.")).ConfigureAwait(false);
        }

        try
        {
            await runtime.PostResponseAsync(requestId, response.WrittenMemory, CancellationToken.None).ConfigureAwait(false);
            return true;
        }
        catch (LambdaRuntimeException exception) when (exception.StatusCode == HttpStatusCode.RequestEntityTooLarge)
        {
            LogResponseRejected(_logger, exception);
            outcome.ErrorType = LambdaErrorTypes.ResponseTooLarge;
            return await PostErrorAsync(runtime, requestId, new LambdaFunctionException(
                LambdaErrorTypes.ResponseTooLarge, $"The response ({response.WrittenCount} bytes) is larger than Lambda accepts.", exception)).ConfigureAwait(false);
        }
        catch (LambdaRuntimeException exception) when (exception.StatusCode is < HttpStatusCode.InternalServerError)
        {
            LogResponseRejected(_logger, exception);
            return true;
        }
#pragma warning disable CA1031 // Connection failures and Runtime API 5xx are fatal; reported by the caller.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogRuntimeApiFailed(_logger, exception);
            return false;
        }
    }

    // A lost stream is not fatal: the connection is closed after every streamed response anyway, and the next /next
    // finds out whether the Runtime API is still there.
    private void LogStreamedResponseOutcome(RuntimeApiStreamingResponse streaming)
    {
        if (streaming.Failure is { } failure)
        {
            LogStreamLost(_logger, failure);
        }
        else if (streaming.Rejection is { } rejection)
        {
            LogResponseRejected(_logger, rejection);
        }
    }

    private async Task<bool> PostErrorAsync(LambdaRuntimeClient runtime, string requestId, Exception error)
    {
        try
        {
            await runtime.PostErrorAsync(requestId, error, CancellationToken.None).ConfigureAwait(false);
            return true;
        }
        catch (LambdaRuntimeException exception) when (exception.StatusCode is < HttpStatusCode.InternalServerError)
        {
            LogResponseRejected(_logger, exception);
            return true;
        }
#pragma warning disable CA1031 // See ProcessAsync.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogRuntimeApiFailed(_logger, exception);
            return false;
        }
    }

    [LoggerMessage(10, LogLevel.Debug, "Waiting for invocations from {RuntimeApi}, {Workers} at a time.")]
    private static partial void LogListening(ILogger logger, Uri runtimeApi, int workers);

    [LoggerMessage(11, LogLevel.Critical, "The Lambda Runtime API failed; stopping.")]
    private static partial void LogRuntimeApiFailed(ILogger logger, Exception exception);

    [LoggerMessage(12, LogLevel.Error, "The invocation failed with {ErrorType}.")]
    private static partial void LogInvocationFailed(ILogger logger, Exception exception, string errorType);

    [LoggerMessage(13, LogLevel.Error, "The Runtime API refused the invocation result.")]
    private static partial void LogResponseRejected(ILogger logger, Exception exception);

    [LoggerMessage(14, LogLevel.Warning, "{Problem}")]
    private static partial void LogConcurrencyProblem(ILogger logger, string problem);

    [LoggerMessage(15, LogLevel.Error, "The streamed response could not be sent to the Runtime API; it is lost.")]
    private static partial void LogStreamLost(ILogger logger, Exception exception);

    [LoggerMessage(16, LogLevel.Warning, "An invocation observer failed after the invocation.")]
    private static partial void LogObserverFailed(ILogger logger, Exception exception);

    /// <summary>What the invocation turned out to be, for its span and duration metric.</summary>
    private sealed class InvocationOutcome
    {
        public LambdaInvocationKind? Kind { get; set; }

        public string? ErrorType { get; set; }
    }
}
