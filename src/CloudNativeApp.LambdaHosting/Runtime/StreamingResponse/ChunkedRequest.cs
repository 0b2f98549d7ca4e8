namespace CloudNativeApp.LambdaHosting.Runtime;

/// <summary>
/// A request to the Runtime API whose head has gone out and whose body is being sent in chunks; it holds its
/// connection until disposed, which closes it.
/// </summary>
internal sealed class ChunkedRequest(RuntimeApiConnection connection, RuntimeApiTransport transport) : IDisposable
{
    private bool _disposed;

    public ValueTask SendChunkAsync(ReadOnlyMemory<byte> first, ReadOnlyMemory<byte> second)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return ChunkedRequestWriter.SendChunkAsync(transport, first, second);
    }

    /// <summary>Ends the body (with <paramref name="trailers"/>) and reads the answer; the caller returns its body.</summary>
    public async ValueTask<RuntimeApiResponse> CompleteAsync(ReadOnlyMemory<(string Name, string Value)> trailers, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await ChunkedRequestWriter.SendLastChunkAsync(transport, trailers.Span, cancellationToken).ConfigureAwait(false);
        return await connection.ReadChunkedResponseAsync(transport, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            connection.EndChunked();
        }
    }
}
