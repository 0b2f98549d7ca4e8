namespace CloudNativeApp.LambdaRuntimeApi;

/// <summary>
/// Relays a streamed response to the Invoke API's caller as it arrives, each piece flushed at once. If the caller
/// goes away, relaying stops and the function streams on undisturbed, as in Lambda (the invocation is billed to the end).
/// </summary>
internal static class StreamRelay
{
    public static async Task RelayAsync(HttpContext context, StreamedResponse stream, CancellationToken cancellationToken)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.Headers[RuntimeApiHeaders.ExecutedVersion] = "$LATEST";
        response.ContentType = stream.ContentType ?? "application/octet-stream";
        long position = 0;
        try
        {
            while (true)
            {
                var (bytes, completed) = await stream.ReadAsync(position, cancellationToken);
                if (completed)
                {
                    break;
                }

                await response.Body.WriteAsync(bytes, cancellationToken);
                await response.Body.FlushAsync(cancellationToken);
                position += bytes.Length;
            }

            if (stream.Error is { } error && response.SupportsTrailers())
            {
                response.AppendTrailer(RuntimeApiHeaders.FunctionErrorType, error.ErrorTypeHeader ?? error.ErrorType ?? "Unhandled");
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException)
        {
            context.Abort();
        }
    }
}
