namespace CloudNativeApp.LambdaRuntimeApi;

/// <summary>
/// <c>POST /invocation/{id}/response</c> in streaming mode, as the Runtime API documents it: chunked, the payload
/// relayed to the caller while it arrives, optional <c>Lambda-Runtime-Function-Error-Type</c>/<c>-Body</c>
/// trailers (a failure after the response began, still a successful invocation), up to 200 MB.
/// </summary>
internal static class StreamingResponseEndpoint
{
    public const string ResponseModeHeader = "Lambda-Runtime-Function-Response-Mode";
    public const string ErrorBodyTrailer = "Lambda-Runtime-Function-Error-Body";

    public static bool IsStreaming(HttpRequest request) =>
        string.Equals(request.Headers[ResponseModeHeader].ToString(), "streaming", StringComparison.OrdinalIgnoreCase);

    public static async Task ReceiveAsync(HttpContext context, InvocationBroker broker, PendingInvocation invocation, LambdaRuntimeApiOptions options)
    {
        var request = context.Request;
        if (!request.Headers.TransferEncoding.ToString().Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            await RuntimeApiEndpoints.WriteErrorAsync(context, StatusCodes.Status400BadRequest, "InvalidRequest", "A streamed response must use Transfer-Encoding: chunked.");
            return;
        }

        var stream = new StreamedResponse(request.ContentType, request.Headers.Trailer.ToString() is { Length: > 0 } trailer ? trailer : null, context.Connection.Id);
        invocation.BeginStream(stream);
        var reader = request.BodyReader;
        while (true)
        {
            System.IO.Pipelines.ReadResult read;
            try
            {
                read = await reader.ReadAsync(context.RequestAborted);
            }
            catch (Exception exception) when (exception is IOException or OperationCanceledException or BadHttpRequestException)
            {
                // The function's connection broke before the last chunk: Lambda reports the response as truncated.
                stream.Complete(null);
                broker.Complete(invocation, InvocationStatus.FunctionError, ReadOnlyMemory<byte>.Empty, null,
                    FunctionError.Synthesized("Runtime.TruncatedResponse", $"The streamed response ended after {stream.Length} bytes without its last chunk."));
                return;
            }

            stream.Append(read.Buffer);
            reader.AdvanceTo(read.Buffer.End);
            if (stream.Length > options.MaxStreamedPayloadBytes)
            {
                var tooLarge = FunctionError.Synthesized(
                    "Function.ResponseSizeTooLarge", $"Response payload size exceeded maximum allowed payload size ({options.MaxStreamedPayloadBytes} bytes).");
                stream.Complete(tooLarge);
                broker.Complete(invocation, InvocationStatus.ResponseTooLarge, ReadOnlyMemory<byte>.Empty, null, tooLarge);
                await RuntimeApiEndpoints.WritePayloadTooLargeAsync(context, options.MaxStreamedPayloadBytes);
                return;
            }

            if (read.IsCompleted)
            {
                break;
            }
        }

        var payload = stream.Complete(ErrorTrailers(request));
        var completion = broker.Complete(invocation, InvocationStatus.Succeeded, payload.Payload, request.ContentType, null, payload);
        await RuntimeApiEndpoints.AcceptOrRejectAsync(context, completion, "InvocationResponse", invocation.RequestId);
    }

    private static FunctionError? ErrorTrailers(HttpRequest request)
    {
        if (!request.SupportsTrailers() || !request.CheckTrailersAvailable())
        {
            return null;
        }

        var type = request.GetTrailer(RuntimeApiHeaders.FunctionErrorType).ToString();
        var body = request.GetTrailer(ErrorBodyTrailer).ToString();
        if (type.Length == 0 && body.Length == 0)
        {
            return null;
        }

        byte[] decoded;
        try
        {
            decoded = Convert.FromBase64String(body);
        }
        catch (FormatException)
        {
            // Lambda wants the body base64-encoded; one that is not is kept as sent, for the test to see.
            decoded = Encoding.UTF8.GetBytes(body);
        }

        return new FunctionError(type.Length > 0 ? type : null, "application/json", decoded);
    }
}
