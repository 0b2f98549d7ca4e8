namespace CloudNativeApp.LambdaHosting.Http;

/// <summary>
/// Where a streamed response goes (the Runtime API's streaming POST): its payload in pieces, then its end. The
/// payload is opaque here; the HTTP prelude is the first bytes of it.
/// </summary>
internal interface IStreamingResponse
{
    /// <summary>Sends <paramref name="first"/> then <paramref name="second"/> as the next bytes of the payload; the first call opens the request.</summary>
    /// <exception cref="IOException">The bytes could not be delivered; the response is lost.</exception>
    ValueTask SendAsync(ReadOnlyMemory<byte> first, ReadOnlyMemory<byte> second, CancellationToken cancellationToken);

    /// <summary>
    /// Ends the payload; with <paramref name="error"/>, as failed after it started (Lambda's error trailers). Never
    /// throws: what became of the response is for the implementation to report.
    /// </summary>
    ValueTask CompleteAsync(Exception? error);
}
