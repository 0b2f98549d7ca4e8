namespace CloudNativeApp.LambdaRuntimeApi;

/// <summary>
/// The function-facing half: Lambda Runtime API 2018-06-01, with the status codes and error documents the
/// real service (and AWS's Runtime Interface Emulator) uses, so a runtime client tested here behaves the same there.
/// </summary>
internal static class RuntimeApiEndpoints
{
    public const string Prefix = "/2018-06-01/runtime";

    public static IEndpointRouteBuilder MapRuntimeApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet($"{Prefix}/invocation/next", NextAsync);
        routes.MapPost($"{Prefix}/invocation/{{requestId}}/response", PostResponseAsync);
        routes.MapPost($"{Prefix}/invocation/{{requestId}}/error", PostErrorAsync);
        routes.MapPost($"{Prefix}/init/error", PostInitErrorAsync);
        return routes;
    }

    /// <summary>Long-polls until an invocation is queued, then hands it over: the event as the body, its context as headers.</summary>
    private static async Task NextAsync(HttpContext context)
    {
        var broker = context.RequestServices.GetRequiredService<InvocationBroker>();
        var stopping = context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);

        var invocation = await broker.DeliverNextAsync(wait.Token);
        if (invocation is null)
        {
            // The caller went away, or this server is stopping: Lambda would not answer either, it freezes or kills the sandbox.
            context.Abort();
            return;
        }

        invocation.DeliveryConnectionId = context.Connection.Id;

        var response = context.Response;
        var headers = response.Headers;
        headers[RuntimeApiHeaders.RequestId] = invocation.RequestId;
        headers[RuntimeApiHeaders.DeadlineMs] = invocation.Deadline.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        headers[RuntimeApiHeaders.InvokedFunctionArn] = invocation.InvokedFunctionArn;
        headers[RuntimeApiHeaders.TraceId] = invocation.TraceId;
        if (invocation.Request.ClientContext is { Length: > 0 } clientContext)
        {
            headers[RuntimeApiHeaders.ClientContext] = clientContext;
        }

        if (invocation.Request.CognitoIdentity is { Length: > 0 } cognitoIdentity)
        {
            headers[RuntimeApiHeaders.CognitoIdentity] = cognitoIdentity;
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json";
        response.ContentLength = invocation.Request.Payload.Length;
        await response.Body.WriteAsync(invocation.Request.Payload, context.RequestAborted);
    }

    private static async Task PostResponseAsync(HttpContext context)
    {
        var (broker, options) = Services(context);
        if (await InvocationToPostToAsync(context, broker, "InvocationResponse") is not { } invocation)
        {
            return;
        }

        if (StreamingResponseEndpoint.IsStreaming(context.Request))
        {
            await StreamingResponseEndpoint.ReceiveAsync(context, broker, invocation, options);
            return;
        }

        var body = await RequestBody.ReadAsync(context.Request, options.MaxPayloadBytes, context.RequestAborted);
        if (body is null)
        {
            var tooLarge = FunctionError.Synthesized(
                "Function.ResponseSizeTooLarge",
                $"Response payload size exceeded maximum allowed payload size ({options.MaxPayloadBytes} bytes).");
            if (broker.Complete(invocation, InvocationStatus.ResponseTooLarge, ReadOnlyMemory<byte>.Empty, null, tooLarge) is not PostResult.Accepted and var late)
            {
                await RejectAsync(context, late, "InvocationResponse", invocation.RequestId);
                return;
            }

            await WritePayloadTooLargeAsync(context, options.MaxPayloadBytes);
            return;
        }

        var completion = broker.Complete(invocation, InvocationStatus.Succeeded, body, context.Request.ContentType, null);
        await AcceptOrRejectAsync(context, completion, "InvocationResponse", invocation.RequestId);
    }

    private static async Task PostErrorAsync(HttpContext context)
    {
        var (broker, options) = Services(context);
        if (await InvocationToPostToAsync(context, broker, "InvocationErrorResponse") is not { } invocation)
        {
            return;
        }

        var body = await RequestBody.ReadAsync(context.Request, options.MaxPayloadBytes, context.RequestAborted);
        if (body is null)
        {
            await WritePayloadTooLargeAsync(context, options.MaxPayloadBytes);
            return;
        }

        var error = new FunctionError(ErrorTypeOf(context.Request), context.Request.ContentType, body);
        var completion = broker.Complete(invocation, InvocationStatus.FunctionError, ReadOnlyMemory<byte>.Empty, null, error);
        await AcceptOrRejectAsync(context, completion, "InvocationErrorResponse", invocation.RequestId);
    }

    private static async Task PostInitErrorAsync(HttpContext context)
    {
        var (broker, options) = Services(context);
        var body = await RequestBody.ReadAsync(context.Request, options.MaxPayloadBytes, context.RequestAborted);
        if (body is null)
        {
            await WritePayloadTooLargeAsync(context, options.MaxPayloadBytes);
            return;
        }

        var error = new InitError(ErrorTypeOf(context.Request), context.Request.ContentType, body);
        if (!broker.TryReportInitError(error))
        {
            await WriteErrorAsync(context, StatusCodes.Status403Forbidden, "InvalidStateTransition",
                "State transition from Running to InitError failed for runtime. Error: State transition is not allowed");
            return;
        }

        await WriteAcceptedAsync(context);
    }

    private static (InvocationBroker Broker, LambdaRuntimeApiOptions Options) Services(HttpContext context) =>
        (context.RequestServices.GetRequiredService<InvocationBroker>(), context.RequestServices.GetRequiredService<LambdaRuntimeApiOptions>());

    /// <summary>The invocation the route's request id names, if a response may be posted to it; otherwise null, the rejection written.</summary>
    private static async Task<PendingInvocation?> InvocationToPostToAsync(HttpContext context, InvocationBroker broker, string operation)
    {
        var requestId = (string)context.Request.RouteValues["requestId"]!;
        if (broker.Find(requestId, out var invocation) is not PostResult.Accepted and var rejection)
        {
            await RejectAsync(context, rejection, operation, requestId);
            return null;
        }

        return invocation;
    }

    /// <summary>The <c>Lambda-Runtime-Function-Error-Type</c> header; null when absent or empty.</summary>
    private static string? ErrorTypeOf(HttpRequest request) =>
        request.Headers[RuntimeApiHeaders.FunctionErrorType].ToString() is { Length: > 0 } type ? type : null;

    internal static Task AcceptOrRejectAsync(HttpContext context, PostResult result, string operation, string requestId) =>
        result == PostResult.Accepted ? WriteAcceptedAsync(context) : RejectAsync(context, result, operation, requestId);

    private static Task RejectAsync(HttpContext context, PostResult result, string operation, string requestId)
    {
        var logger = context.RequestServices.GetRequiredService<ILogger<InvocationBroker>>();
        if (result == PostResult.UnknownRequestId)
        {
            RuntimeApiLog.Rejected(logger, operation, requestId, "unknown request id");
            return WriteErrorAsync(context, StatusCodes.Status400BadRequest, "InvalidRequestID", "Invalid request ID");
        }

        RuntimeApiLog.Rejected(logger, operation, requestId, "the invocation already ended");
        return WriteErrorAsync(context, StatusCodes.Status403Forbidden, "InvalidStateTransition",
            $"State transition from RuntimeResponseSentState to {operation} failed for runtime. Error: State transition is not allowed");
    }

    private static Task WriteAcceptedAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status202Accepted;
        return WriteJsonAsync(context, JsonSerializer.SerializeToUtf8Bytes(new StatusResponse("OK"), RuntimeApiJsonContext.Default.StatusResponse));
    }

    internal static Task WritePayloadTooLargeAsync(HttpContext context, long limit) =>
        WriteErrorAsync(context, StatusCodes.Status413PayloadTooLarge, "RequestEntityTooLarge", $"Exceeded maximum allowed payload size ({limit} bytes).");

    internal static Task WriteErrorAsync(HttpContext context, int statusCode, string errorType, string errorMessage)
    {
        context.Response.StatusCode = statusCode;
        return WriteJsonAsync(context, JsonSerializer.SerializeToUtf8Bytes(new ErrorResponse(errorMessage, errorType), RuntimeApiJsonContext.Default.ErrorResponse));
    }

    // With a Content-Length, as Lambda's Runtime API (a Go net/http server, which measures a small body before sending
    // its head) answers: written as a stream, Kestrel would send these few bytes chunked.
    private static Task WriteJsonAsync(HttpContext context, byte[] json)
    {
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = json.Length;
        return context.Response.Body.WriteAsync(json, context.RequestAborted).AsTask();
    }
}
