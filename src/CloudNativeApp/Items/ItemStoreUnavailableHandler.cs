using Microsoft.AspNetCore.Diagnostics;

namespace CloudNativeApp.Items;

/// <summary>
/// An unreachable, slow or failing item store is the client's cue to retry, not a server bug:
/// 503 problem details with Retry-After instead of a 500 or a hang.
/// </summary>
internal sealed partial class ItemStoreUnavailableHandler(
    IProblemDetailsService problemDetails,
    IOptions<ItemStoreOptions> options,
    ILogger<ItemStoreUnavailableHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not ItemStoreUnavailableException unavailable)
        {
            return false;
        }

        LogUnavailable(logger, unavailable.Message, unavailable.InnerException);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = options.Value.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Item store unavailable",
                Detail = "The item store did not respond in time. Retry after the number of seconds in Retry-After.",
            },
        });
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Item store unavailable: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string reason, Exception? exception);
}
