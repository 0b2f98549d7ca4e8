namespace CloudNativeApp.LambdaHosting;

internal static partial class LambdaHostingLog
{
    [LoggerMessage(1, LogLevel.Error, "The application threw an unhandled exception for {Method} {Path}; responding 500.")]
    public static partial void UnhandledApplicationException(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(2, LogLevel.Error, "An OnCompleted callback failed.")]
    public static partial void OnCompletedFailed(ILogger logger, Exception exception);

    [LoggerMessage(3, LogLevel.Error, "{Method} {Path} did not finish before the invocation deadline; responding 504.")]
    public static partial void DeadlineExceeded(ILogger logger, string method, string path);

    [LoggerMessage(4, LogLevel.Error, "The response to {Method} {Path} is {Size} bytes, more than the {Limit} bytes of a buffered Lambda response; responding 500. Stream responses (Lambda:ResponseStreaming) or request less.")]
    public static partial void ResponseTooLarge(ILogger logger, string method, string path, long size, int limit);

    [LoggerMessage(5, LogLevel.Error, "The application threw an unhandled exception for {Method} {Path} after its streamed response began; ending it with the error trailers.")]
    public static partial void StreamedResponseFailed(ILogger logger, Exception exception, string method, string path);
}
