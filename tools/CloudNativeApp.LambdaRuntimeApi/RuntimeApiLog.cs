namespace CloudNativeApp.LambdaRuntimeApi;

internal static partial class RuntimeApiLog
{
    [LoggerMessage(1, LogLevel.Information, "Invocation {RequestId} queued ({Bytes} bytes)")]
    public static partial void Queued(ILogger logger, string requestId, int bytes);

    [LoggerMessage(2, LogLevel.Information, "Invocation {RequestId} delivered to the function (deadline {Deadline:O})")]
    public static partial void Delivered(ILogger logger, string requestId, DateTimeOffset deadline);

    [LoggerMessage(3, LogLevel.Information, "Invocation {RequestId} ended with {Status} after {ElapsedMs:0.0} ms")]
    public static partial void Completed(ILogger logger, string requestId, InvocationStatus status, double elapsedMs);

    [LoggerMessage(4, LogLevel.Warning, "Invocation {RequestId} failed: {Error}")]
    public static partial void Failed(ILogger logger, string requestId, FunctionError error);

    [LoggerMessage(5, LogLevel.Warning, "The function reported an init error: {Error}")]
    public static partial void InitFailed(ILogger logger, InitError error);

    [LoggerMessage(6, LogLevel.Warning, "Rejected {Operation} for request {RequestId}: {Reason}")]
    public static partial void Rejected(ILogger logger, string operation, string requestId, string reason);
}
