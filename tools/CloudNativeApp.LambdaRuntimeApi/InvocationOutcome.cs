namespace CloudNativeApp.LambdaRuntimeApi;

public enum InvocationStatus
{
    /// <summary>The function posted a response.</summary>
    Succeeded,

    /// <summary>The function posted to <c>/invocation/{id}/error</c>.</summary>
    FunctionError,

    /// <summary>The deadline (plus any grace period) passed without a response.</summary>
    TimedOut,

    /// <summary>The function posted a response larger than Lambda accepts.</summary>
    ResponseTooLarge,

    /// <summary>The function failed to initialize (<c>/init/error</c>) while this invocation waited.</summary>
    InitFailed,
}

/// <summary>How one invocation ended: the response bytes, or the error Lambda would return to the caller.</summary>
public sealed class InvocationOutcome
{
    internal InvocationOutcome(string requestId, InvocationStatus status, ReadOnlyMemory<byte> response, string? responseContentType, FunctionError? error, long deliveredTimestamp)
    {
        RequestId = requestId;
        Status = status;
        Response = response;
        ResponseContentType = responseContentType;
        Error = error;
        DeliveredTimestamp = deliveredTimestamp;
        CompletedTimestamp = Stopwatch.GetTimestamp();
        CompletedAt = DateTimeOffset.UtcNow;
    }

    public string RequestId { get; }

    public InvocationStatus Status { get; }

    public bool Succeeded => Status == InvocationStatus.Succeeded;

    /// <summary>The response body as posted; empty unless <see cref="Succeeded"/>.</summary>
    public ReadOnlyMemory<byte> Response { get; }

    public string? ResponseContentType { get; }

    /// <summary>What went wrong; null when <see cref="Succeeded"/>.</summary>
    public FunctionError? Error { get; }

    /// <summary>The payload Lambda's Invoke API would return: the response, or the error document.</summary>
    public ReadOnlyMemory<byte> Payload => Error?.Body ?? Response;

    public string ResponseText => Encoding.UTF8.GetString(Response.Span);

    /// <summary>When <c>/next</c> handed the invocation to the function (<see cref="Stopwatch.GetTimestamp"/>); 0 if it never did.</summary>
    public long DeliveredTimestamp { get; }

    /// <summary>When the outcome was known (<see cref="Stopwatch.GetTimestamp"/>), e.g. for cold-start measurements.</summary>
    public long CompletedTimestamp { get; }

    public DateTimeOffset CompletedAt { get; }

    /// <summary>How a streamed response arrived (trailers, timing); null for a buffered one.</summary>
    public StreamedPayload? Streamed { get; init; }

    /// <summary>The Runtime API connection <c>/next</c> delivered the invocation on.</summary>
    public string? DeliveryConnectionId { get; init; }

    /// <summary>From delivery to the first byte of a streamed response's body (after its prelude); null when none arrived.</summary>
    public TimeSpan? TimeToFirstBodyByte => Streamed is { FirstBodyByteTimestamp: > 0 } streamed && DeliveredTimestamp != 0
        ? Stopwatch.GetElapsedTime(DeliveredTimestamp, streamed.FirstBodyByteTimestamp)
        : null;

    /// <summary>Time from delivery to the function until the outcome; zero if never delivered.</summary>
    public TimeSpan Duration => DeliveredTimestamp == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(DeliveredTimestamp, CompletedTimestamp);

    /// <summary>The response parsed as JSON; throws (with the status and error) when the invocation did not succeed.</summary>
    public JsonElement ResponseJson()
    {
        EnsureSucceeded();
        using var document = JsonDocument.Parse(Response);
        return document.RootElement.Clone();
    }

    /// <summary>Throws an <see cref="InvalidOperationException"/> describing the failure unless the invocation succeeded.</summary>
    public InvocationOutcome EnsureSucceeded() =>
        Succeeded ? this : throw new InvalidOperationException($"Invocation {RequestId} ended with {Status}: {Error}");

    public override string ToString() => Succeeded ? $"{RequestId} {Status}: {ResponseText}" : $"{RequestId} {Status}: {Error}";
}
