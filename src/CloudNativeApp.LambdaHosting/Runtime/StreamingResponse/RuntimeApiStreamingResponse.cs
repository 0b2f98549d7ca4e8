namespace CloudNativeApp.LambdaHosting.Runtime;

/// <summary>
/// One invocation's HTTP response, streamed to the Runtime API (<c>Lambda-Runtime-Function-Response-Mode:
/// streaming</c>): the POST opens with the first bytes, each send is a chunk, and the end is the last chunk, with
/// <c>Lambda-Runtime-Function-Error-Type</c>/<c>-Body</c> trailers when the app failed after the response began.
/// Lambda forwards those to the caller, so they name the error type only; the details are in the function's log.
/// </summary>
internal sealed class RuntimeApiStreamingResponse(LambdaRuntimeClient client, string requestId) : IStreamingResponse, IDisposable
{
    private ChunkedRequest? _request;

    /// <summary>Sending failed; the invocation's response is lost.</summary>
    public Exception? Failure { get; private set; }

    /// <summary>The Runtime API answered the completed response with an error status.</summary>
    public LambdaRuntimeException? Rejection { get; private set; }

    public async ValueTask SendAsync(ReadOnlyMemory<byte> first, ReadOnlyMemory<byte> second, CancellationToken cancellationToken)
    {
        try
        {
            _request ??= await client.OpenStreamingResponseAsync(requestId, HttpIntegrationPrelude.ContentType, cancellationToken).ConfigureAwait(false);
            await _request.SendChunkAsync(first, second).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            Failure ??= exception;
            Dispose();
            throw;
        }
    }

    public async ValueTask CompleteAsync(Exception? error)
    {
        if (Failure is not null)
        {
            return;
        }

        try
        {
            _request ??= await client.OpenStreamingResponseAsync(requestId, HttpIntegrationPrelude.ContentType, CancellationToken.None).ConfigureAwait(false);
            var response = await _request.CompleteAsync(error is null ? default : ErrorTrailers(error), CancellationToken.None).ConfigureAwait(false);
            try
            {
                if (!response.IsSuccess)
                {
                    Rejection = LambdaRuntimeException.FromResponse("invocation/response", response);
                }
            }
            finally
            {
                response.ReturnBody();
            }
        }
#pragma warning disable CA1031 // Reported through Failure; the invocation loop decides what it means.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            Failure = exception;
        }
        finally
        {
            Dispose();
        }
    }

    /// <summary>Closes the connection (after a streamed response, as the Runtime API requires) and frees it for the next request.</summary>
    public void Dispose()
    {
        _request?.Dispose();
    }

    private static (string, string)[] ErrorTrailers(Exception error)
    {
        var errorType = LambdaErrorPayload.GetErrorType(error);
        var summary = new LambdaFunctionException(errorType, "The response failed after it had started streaming; the function's log has the details.");
        return
        [
            (LambdaRuntimeClient.ErrorTypeHeader, errorType),
            (LambdaRuntimeClient.ErrorBodyTrailer, Convert.ToBase64String(LambdaErrorPayload.Serialize(summary, errorType))),
        ];
    }
}
