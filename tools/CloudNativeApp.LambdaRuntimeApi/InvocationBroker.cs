using System.Security.Cryptography;
using System.Threading.Channels;

namespace CloudNativeApp.LambdaRuntimeApi;

/// <summary>What happened to a response or error a function posted for a request id.</summary>
internal enum PostResult
{
    Accepted,

    /// <summary>The id was never handed out by <c>/next</c>: Lambda answers 400 InvalidRequestID.</summary>
    UnknownRequestId,

    /// <summary>The invocation already ended (answered, timed out): Lambda answers 403 InvalidStateTransition.</summary>
    AlreadyCompleted,
}

/// <summary>
/// The invocation queue between callers (<see cref="LambdaRuntimeApiServer.InvokeAsync(InvocationRequest, CancellationToken)"/>,
/// the Invoke API endpoint) and the function polling <c>/next</c>; knows every id it handed out.
/// </summary>
internal sealed class InvocationBroker : IDisposable
{
    // Completed ids are remembered so a second response gets Lambda's 403 rather than 400; a bound keeps a
    // long-running emulator from growing without limit.
    private const int RememberedCompletedInvocations = 10_000;

    private readonly Channel<PendingInvocation> queue = Channel.CreateUnbounded<PendingInvocation>();
    private readonly ConcurrentDictionary<string, PendingInvocation> invocations = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> completedIds = new();
    private readonly TaskCompletionSource<InitError> firstInitError = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentQueue<InitError> initErrors = new();
    private readonly LambdaRuntimeApiOptions options;
    private readonly ILogger logger;
    private int queued;
    private int inFlight;
    private int waitingForNext;
    private long served;
    private long completed;

    public InvocationBroker(LambdaRuntimeApiOptions options, ILogger<InvocationBroker> logger)
    {
        this.options = options;
        this.logger = logger;
    }

    public int Queued => Volatile.Read(ref queued);

    public int InFlight => Volatile.Read(ref inFlight);

    public int WaitingForNext => Volatile.Read(ref waitingForNext);

    public long Served => Interlocked.Read(ref served);

    public long Completed => Interlocked.Read(ref completed);

    public Task<InitError> FirstInitError => firstInitError.Task;

    public IReadOnlyCollection<InitError> InitErrors => [.. initErrors];

    public PendingInvocation Enqueue(InvocationRequest request)
    {
        var timeout = request.Timeout ?? options.FunctionTimeout;
        if (timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(request), timeout, "The function timeout must be positive.");
        }

        if (request.Payload.Length > options.MaxPayloadBytes)
        {
            throw new ArgumentException($"The event is {request.Payload.Length} bytes; Lambda accepts at most {options.MaxPayloadBytes}.", nameof(request));
        }

        var invocation = new PendingInvocation(
            request.RequestId ?? Guid.NewGuid().ToString(),
            request,
            request.InvokedFunctionArn ?? options.InvokedFunctionArn,
            request.TraceId ?? NewTraceHeader(),
            timeout);

        if (!invocations.TryAdd(invocation.RequestId, invocation))
        {
            throw new ArgumentException($"Request id {invocation.RequestId} is already in use.", nameof(request));
        }

        Interlocked.Increment(ref queued);
        // The queue only refuses writes once the server is disposed.
        ObjectDisposedException.ThrowIf(!queue.Writer.TryWrite(invocation), this);

        RuntimeApiLog.Queued(logger, invocation.RequestId, request.Payload.Length);
        return invocation;
    }

    /// <summary>Waits for the next invocation (long poll) and hands it to the caller; null if the wait was cancelled.</summary>
    public async ValueTask<PendingInvocation?> DeliverNextAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref waitingForNext);
        try
        {
            while (true)
            {
                PendingInvocation invocation;
                try
                {
                    invocation = await queue.Reader.ReadAsync(cancellationToken);
                }
                catch (Exception exception) when (exception is OperationCanceledException or ChannelClosedException)
                {
                    return null;
                }

                if (invocation.TryDeliver(options.DeadlineGracePeriod, TimeOut))
                {
                    Interlocked.Decrement(ref queued);
                    Interlocked.Increment(ref inFlight);
                    Interlocked.Increment(ref served);
                    RuntimeApiLog.Delivered(logger, invocation.RequestId, invocation.Deadline);
                    return invocation;
                }

                // Withdrawn by its caller while queued, or failed by an init error: it left the queue count then.
                Forget(invocation);
            }
        }
        finally
        {
            Interlocked.Decrement(ref waitingForNext);
        }
    }

    /// <summary>Finds the invocation a function is posting for, as Lambda judges the request id.</summary>
    public PostResult Find(string requestId, out PendingInvocation? invocation)
    {
        if (invocations.TryGetValue(requestId, out invocation))
        {
            if (invocation.IsDelivered)
            {
                return PostResult.Accepted;
            }

            if (invocation.IsCompleted && invocation.DeliveredTimestamp != 0)
            {
                return PostResult.AlreadyCompleted;
            }
        }

        invocation = null;
        return PostResult.UnknownRequestId;
    }

    /// <summary>An invocation this broker still remembers, by request id.</summary>
    public PendingInvocation? Get(string requestId) => invocations.TryGetValue(requestId, out var invocation) ? invocation : null;

    /// <summary>The caller stopped waiting; a queued invocation is withdrawn, a delivered one runs on (as in Lambda).</summary>
    public void Abandon(PendingInvocation invocation, CancellationToken cancellationToken)
    {
        if (invocation.Abandon(cancellationToken))
        {
            Interlocked.Decrement(ref queued);
        }
    }

    /// <summary>Completes a delivered invocation; <see cref="PostResult.AlreadyCompleted"/> if something else completed it first.</summary>
    public PostResult Complete(PendingInvocation invocation, InvocationStatus status, ReadOnlyMemory<byte> response, string? contentType, FunctionError? error, StreamedPayload? streamed = null)
    {
        var ended = invocation.TryComplete(status, response, contentType, error, () =>
        {
            Interlocked.Decrement(ref inFlight);
            Interlocked.Increment(ref completed);
            Remember(invocation);
        }, streamed);
        if (!ended)
        {
            return PostResult.AlreadyCompleted;
        }

        LogOutcome(invocation);
        return PostResult.Accepted;
    }

    /// <summary>
    /// Records an init error. Lambda only accepts one from a runtime that has not taken an invocation yet; the
    /// invocations waiting for it fail with the error, as the invocation that triggered a cold start does.
    /// </summary>
    public bool TryReportInitError(InitError error)
    {
        if (InFlight > 0)
        {
            return false;
        }

        RuntimeApiLog.InitFailed(logger, error);
        initErrors.Enqueue(error);
        firstInitError.TrySetResult(error);
        foreach (var invocation in invocations.Values)
        {
            var failed = invocation.TryFailQueued(InvocationStatus.InitFailed, error, () =>
            {
                Interlocked.Decrement(ref queued);
                Interlocked.Increment(ref completed);
            });
            if (failed)
            {
                LogOutcome(invocation);
            }
        }

        return true;
    }

    public void Dispose()
    {
        queue.Writer.TryComplete();
        firstInitError.TrySetCanceled();
        foreach (var invocation in invocations.Values)
        {
            invocation.Cancel();
            invocation.Dispose();
        }
    }

    private void LogOutcome(PendingInvocation invocation)
    {
        var outcome = invocation.Result!;
        RuntimeApiLog.Completed(logger, invocation.RequestId, outcome.Status, outcome.Duration.TotalMilliseconds);
        if (outcome.Error is { } error and not InitError)
        {
            RuntimeApiLog.Failed(logger, invocation.RequestId, error);
        }
    }

    private void TimeOut(PendingInvocation invocation)
    {
        var seconds = invocation.Timeout.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture);
        var error = FunctionError.Synthesized("Sandbox.Timedout", $"RequestId: {invocation.RequestId} Error: Task timed out after {seconds} seconds");
        Complete(invocation, InvocationStatus.TimedOut, ReadOnlyMemory<byte>.Empty, null, error);
    }

    private void Remember(PendingInvocation invocation)
    {
        completedIds.Enqueue(invocation.RequestId);
        while (completedIds.Count > RememberedCompletedInvocations && completedIds.TryDequeue(out var oldest))
        {
            if (invocations.TryRemove(oldest, out var forgotten))
            {
                forgotten.Dispose();
            }
        }
    }

    private void Forget(PendingInvocation invocation)
    {
        if (invocations.TryRemove(invocation.RequestId, out var forgotten))
        {
            forgotten.Dispose();
        }
    }

    /// <summary>An X-Ray trace header as Lambda passes it: epoch seconds and 96 random bits in the root id.</summary>
    private static string NewTraceHeader()
    {
        Span<byte> random = stackalloc byte[20];
        RandomNumberGenerator.Fill(random);
        var epochSeconds = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString("x8", CultureInfo.InvariantCulture);
        return $"Root=1-{epochSeconds}-{Convert.ToHexStringLower(random[..12])};Parent={Convert.ToHexStringLower(random[12..])};Sampled=0";
    }
}
