namespace CloudNativeApp.LambdaRuntimeApi;

/// <summary>One invocation on its way through the Runtime API: queued, delivered to the function, then completed once.</summary>
internal sealed class PendingInvocation(string requestId, InvocationRequest request, string invokedFunctionArn, string traceId, TimeSpan timeout) : IDisposable
{
    private const int Queued = 0;
    private const int Delivered = 1;
    private const int Completed = 2;
    private const int Abandoned = 3;

    private readonly TaskCompletionSource<InvocationOutcome> outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<StreamedResponse> streamStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int state = Queued;
    private Timer? deadlineTimer;
    private Action<PendingInvocation>? onDeadline;

    public string RequestId { get; } = requestId;

    public InvocationRequest Request { get; } = request;

    public string InvokedFunctionArn { get; } = invokedFunctionArn;

    public string TraceId { get; } = traceId;

    public TimeSpan Timeout { get; } = timeout;

    /// <summary>Set on delivery: when the function must have answered.</summary>
    public DateTimeOffset Deadline { get; private set; }

    public long DeliveredTimestamp { get; private set; }

    /// <summary>The connection <c>/next</c> handed the invocation over on.</summary>
    public string? DeliveryConnectionId { get; set; }

    /// <summary>Completes when the function begins streaming its response (never, for a buffered one).</summary>
    public Task<StreamedResponse> StreamStarted => streamStarted.Task;

    public void BeginStream(StreamedResponse stream) => streamStarted.TrySetResult(stream);

    /// <summary>What the caller waits for; cancelled if the caller gave up.</summary>
    public Task<InvocationOutcome> Outcome => outcome.Task;

    /// <summary>How the invocation ended, whether or not anyone still waits for it.</summary>
    public InvocationOutcome? Result { get; private set; }

    public bool IsDelivered => Volatile.Read(ref state) == Delivered;

    public bool IsCompleted => Volatile.Read(ref state) == Completed;

    /// <summary>Claims a queued invocation for a <c>/next</c> caller; false when its caller gave up before anyone took it.</summary>
    public bool TryDeliver(TimeSpan gracePeriod, Action<PendingInvocation> onDeadline)
    {
        if (Interlocked.CompareExchange(ref state, Delivered, Queued) != Queued)
        {
            return false;
        }

        DeliveredTimestamp = Stopwatch.GetTimestamp();
        Deadline = DateTimeOffset.UtcNow + Timeout;
        this.onDeadline = onDeadline;
        deadlineTimer = new Timer(static self => ((PendingInvocation)self!).DeadlinePassed(), this, Timeout + gracePeriod, System.Threading.Timeout.InfiniteTimeSpan);
        return true;
    }

    /// <summary>
    /// Records how a delivered invocation ended; false when it had already ended (a second response, a late one).
    /// <paramref name="onEnded"/> runs before the outcome is published, so whoever awaits it sees the counts it updates.
    /// </summary>
    public bool TryComplete(InvocationStatus status, ReadOnlyMemory<byte> response, string? contentType, FunctionError? error, Action onEnded, StreamedPayload? streamed = null) =>
        TryComplete(Delivered, status, response, contentType, error, onEnded, streamed);

    /// <summary>Fails an invocation nobody has taken yet (the function failed to start); false when it was taken or withdrawn.</summary>
    public bool TryFailQueued(InvocationStatus status, FunctionError error, Action onEnded) =>
        TryComplete(Queued, status, ReadOnlyMemory<byte>.Empty, null, error, onEnded);

    private void DeadlinePassed() => onDeadline?.Invoke(this);

    private bool TryComplete(int expectedState, InvocationStatus status, ReadOnlyMemory<byte> response, string? contentType, FunctionError? error, Action onEnded, StreamedPayload? streamed = null)
    {
        if (Interlocked.CompareExchange(ref state, Completed, expectedState) != expectedState)
        {
            return false;
        }

        deadlineTimer?.Dispose();
        if (status != InvocationStatus.Succeeded && streamStarted.Task.IsCompletedSuccessfully)
        {
            // Timed out (or cut short) mid-stream: the relay to the caller ends with the error instead of waiting on.
            streamStarted.Task.Result.Complete(error);
        }

        Result = new InvocationOutcome(RequestId, status, response, contentType, error, DeliveredTimestamp)
        {
            Streamed = streamed,
            DeliveryConnectionId = DeliveryConnectionId,
        };
        onEnded();
        outcome.TrySetResult(Result);
        return true;
    }

    /// <summary>
    /// The caller stopped waiting. A queued invocation is withdrawn; a delivered one keeps running, as in Lambda,
    /// so the function's eventual response is still accepted.
    /// </summary>
    /// <returns>True when the invocation was still queued and is now withdrawn.</returns>
    public bool Abandon(CancellationToken cancellationToken)
    {
        var withdrawn = Interlocked.CompareExchange(ref state, Abandoned, Queued) == Queued;
        outcome.TrySetCanceled(cancellationToken);
        return withdrawn;
    }

    /// <summary>The server is going away: nobody will answer.</summary>
    public void Cancel()
    {
        if (Interlocked.Exchange(ref state, Completed) != Completed)
        {
            deadlineTimer?.Dispose();
        }

        outcome.TrySetCanceled();
    }

    public void Dispose() => deadlineTimer?.Dispose();
}
