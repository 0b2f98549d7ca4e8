namespace CloudNativeApp.LambdaRuntimeApi;

/// <summary>How the local Runtime API answers a SnapStart function's <c>GET /restore/next</c>.</summary>
public enum RestoreAnswer
{
    /// <summary>200 once <see cref="LambdaRuntimeApiServer.Restore"/> is called, as Lambda does after a restore.</summary>
    Restored,

    /// <summary>500 with an error document.</summary>
    ServerError,

    /// <summary>200 announcing a body, then the connection closes partway through it.</summary>
    Truncated,

    /// <summary>The connection closes without an answer.</summary>
    Closed,
}

/// <summary>
/// SnapStart's runtime routes (<c>/restore/next</c>, <c>/restore/error</c>). Like Lambda's RAPID, which registers them
/// only for a SnapStart initialization, they answer 404 unless <see cref="LambdaRuntimeApiOptions.SnapStart"/> is set.
/// </summary>
internal static class RestoreEndpoints
{
    public static IEndpointRouteBuilder MapRestoreApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet($"{RuntimeApiEndpoints.Prefix}/restore/next", NextAsync);
        routes.MapPost($"{RuntimeApiEndpoints.Prefix}/restore/error", PostErrorAsync);
        return routes;
    }

    private static async Task NextAsync(HttpContext context)
    {
        var (options, snapshot) = Services(context);
        if (!options.SnapStart)
        {
            await WriteNotFoundAsync(context);
            return;
        }

        var stopping = context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        try
        {
            await snapshot.WaitForRestoreAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            context.Abort();
            return;
        }

        switch (options.RestoreAnswer)
        {
            case RestoreAnswer.Restored:
                context.Response.StatusCode = StatusCodes.Status200OK;
                break;
            case RestoreAnswer.ServerError:
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                context.Response.ContentType = "application/json";
                await JsonSerializer.SerializeAsync(context.Response.Body, new ErrorResponse("Restore failed.", "ServiceException"), RuntimeApiJsonContext.Default.ErrorResponse, context.RequestAborted);
                break;
            case RestoreAnswer.Truncated:
                context.Response.StatusCode = StatusCodes.Status200OK;
                context.Response.ContentLength = 100;
                await context.Response.Body.WriteAsync("{\"sta"u8.ToArray(), context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                context.Abort();
                break;
            default:
                context.Abort();
                break;
        }
    }

    private static async Task PostErrorAsync(HttpContext context)
    {
        var (options, snapshot) = Services(context);
        if (!options.SnapStart)
        {
            await WriteNotFoundAsync(context);
            return;
        }

        var body = await RequestBody.ReadAsync(context.Request, options.MaxPayloadBytes, context.RequestAborted) ?? [];
        snapshot.RestoreErrors.Enqueue(new InitError(context.Request.Headers[RuntimeApiHeaders.FunctionErrorType].ToString() is { Length: > 0 } type ? type : null, context.Request.ContentType, body));
        context.Response.StatusCode = StatusCodes.Status202Accepted;
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, new StatusResponse("OK"), RuntimeApiJsonContext.Default.StatusResponse, context.RequestAborted);
    }

    private static (LambdaRuntimeApiOptions Options, SnapshotState Snapshot) Services(HttpContext context) =>
        (context.RequestServices.GetRequiredService<LambdaRuntimeApiOptions>(), context.RequestServices.GetRequiredService<SnapshotState>());

    private static Task WriteNotFoundAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        context.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(context.Response.Body, new ErrorResponse("Not found: the function was not initialized for SnapStart.", "NotFound"), RuntimeApiJsonContext.Default.ErrorResponse, context.RequestAborted);
    }
}

/// <summary>Where a SnapStart function is in its snapshot lifecycle, as the local Runtime API sees it.</summary>
internal sealed class SnapshotState(RuntimeApiTraffic traffic)
{
    private readonly TaskCompletionSource restored = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource snapshotReady = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConcurrentQueue<InitError> RestoreErrors { get; } = new();

    /// <summary>Completes when the function waits on <c>/restore/next</c>: where Lambda would take the snapshot.</summary>
    public Task SnapshotReady => snapshotReady.Task;

    public bool IsRestored => restored.Task.IsCompleted;

    public async Task WaitForRestoreAsync(CancellationToken cancellationToken)
    {
        snapshotReady.TrySetResult();
        await restored.Task.WaitAsync(cancellationToken);
    }

    public void Restore()
    {
        traffic.MarkRestored();
        restored.TrySetResult();
    }
}
