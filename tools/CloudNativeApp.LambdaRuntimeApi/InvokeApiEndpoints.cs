namespace CloudNativeApp.LambdaRuntimeApi;

/// <summary>
/// The caller-facing half, shaped like Lambda's Invoke API (and the Runtime Interface Emulator's
/// <c>POST /2015-03-31/functions/function/invocations</c>) so curl or an SDK pointed here drives the function.
/// </summary>
internal static class InvokeApiEndpoints
{
    public static IEndpointRouteBuilder MapInvokeApi(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/2015-03-31/functions/{functionName}/invocations", InvokeAsync);
        return routes;
    }

    private static async Task InvokeAsync(HttpContext context)
    {
        var broker = context.RequestServices.GetRequiredService<InvocationBroker>();
        var options = context.RequestServices.GetRequiredService<LambdaRuntimeApiOptions>();
        var stopping = context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;

        var invocationType = context.Request.Headers[RuntimeApiHeaders.InvocationType].ToString() is { Length: > 0 } type ? type : "RequestResponse";
        if (invocationType is not ("RequestResponse" or "Event" or "DryRun"))
        {
            await WriteInvokeErrorAsync(context, StatusCodes.Status400BadRequest, "InvalidParameterValueException",
                $"Unsupported invocation type '{invocationType}': use RequestResponse, Event or DryRun.");
            return;
        }

        if (!TryDecodeClientContext(context.Request, out var clientContext))
        {
            await WriteInvokeErrorAsync(context, StatusCodes.Status400BadRequest, "InvalidRequestContentException",
                "X-Amz-Client-Context must be base64-encoded JSON.");
            return;
        }

        // Lambda's synchronous limit for the request is 6 MB exactly; the runtime-facing limit allows 100 bytes of slack.
        var limit = Math.Min(options.MaxPayloadBytes, 6 * 1024 * 1024);
        var payload = await RequestBody.ReadAsync(context.Request, limit, context.RequestAborted);
        if (payload is null)
        {
            await WriteInvokeErrorAsync(context, StatusCodes.Status413PayloadTooLarge, "RequestTooLargeException",
                $"Request must be smaller than {limit} bytes for the InvokeFunction operation");
            return;
        }

        if (invocationType == "DryRun")
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        var invocation = broker.Enqueue(new InvocationRequest(payload.Length == 0 ? "{}"u8.ToArray() : payload) { ClientContext = clientContext });
        context.Response.Headers[RuntimeApiHeaders.AmznRequestId] = invocation.RequestId;
        if (invocationType == "Event")
        {
            context.Response.StatusCode = StatusCodes.Status202Accepted;
            return;
        }

        using var wait = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        InvocationOutcome outcome;
        try
        {
            // A streamed response is relayed as it arrives; a buffered one once it is complete.
            await Task.WhenAny(invocation.Outcome, invocation.StreamStarted).WaitAsync(wait.Token);
            if (invocation.StreamStarted.IsCompleted)
            {
                await StreamRelay.RelayAsync(context, await invocation.StreamStarted, wait.Token);
                return;
            }

            outcome = await invocation.Outcome;
        }
        catch (OperationCanceledException)
        {
            broker.Abandon(invocation, wait.Token);
            context.Abort();
            return;
        }

        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.Headers[RuntimeApiHeaders.ExecutedVersion] = "$LATEST";
        if (outcome.Error is not null)
        {
            response.Headers[RuntimeApiHeaders.FunctionError] = "Unhandled";
        }

        // Lambda answers synchronous invocations as JSON whatever content type the runtime posted with.
        response.ContentType = "application/json";
        response.ContentLength = outcome.Payload.Length;
        await response.Body.WriteAsync(outcome.Payload, context.RequestAborted);
    }

    private static bool TryDecodeClientContext(HttpRequest request, out string? clientContext)
    {
        clientContext = null;
        var header = request.Headers[RuntimeApiHeaders.InvokeClientContext].ToString();
        if (header.Length == 0)
        {
            return true;
        }

        var buffer = new byte[header.Length];
        if (!Convert.TryFromBase64String(header, buffer, out var length))
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(buffer.AsMemory(0, length));
        }
        catch (JsonException)
        {
            return false;
        }

        clientContext = Encoding.UTF8.GetString(buffer, 0, length);
        return true;
    }

    private static Task WriteInvokeErrorAsync(HttpContext context, int statusCode, string errorType, string message)
    {
        context.Response.StatusCode = statusCode;
        context.Response.Headers[RuntimeApiHeaders.AmznErrorType] = errorType;
        context.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(context.Response.Body, new InvokeApiError("User", message), RuntimeApiJsonContext.Default.InvokeApiError, context.RequestAborted);
    }
}
