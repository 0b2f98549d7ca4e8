namespace CloudNativeApp.LambdaHosting.Http;

/// <summary>Writes the start of a streamed HTTP response (status and headers, in the event source's format).</summary>
internal interface IResponsePrelude
{
    void Write(LambdaHttpFeatures features, IBufferWriter<byte> output);
}

/// <summary>
/// Sends the response body of one invocation while the app writes it, when the response is streamed. Writes still
/// land in the invocation's response buffer; they go out as one chunk, the prelude ahead of the first, on an explicit
/// flush (<c>FlushAsync</c>, <c>StartAsync</c>, a <c>PipeWriter.WriteAsync</c>), once the buffer holds
/// <see cref="TransmitThreshold"/> bytes, or when the app is done. So small writes are coalesced and the buffer
/// never holds more than what the app wrote since its last flush. Until the first send nothing is committed, and a
/// failing app still gets a proper error response.
/// </summary>
internal sealed class StreamingResponseBody(LambdaHttpFeatures features) : IDisposable
{
    /// <summary>Unflushed bytes that make a chunk on their own.</summary>
    public const int TransmitThreshold = 16 * 1024;

    private readonly PooledBuffer _prelude = new();
    private IStreamingResponse? _target;
    private IResponsePrelude? _preludeWriter;
    private bool _unbuffered;
    private Exception? _failure;

    /// <summary>This invocation's response is streamed.</summary>
    public bool IsActive => _target is not null;

    /// <summary>Part of the response may have gone out: it can no longer be replaced, only ended with an error.</summary>
    public bool HasSent { get; private set; }

    /// <summary>Sending failed (the Runtime API connection broke); the response is lost.</summary>
    public Exception? Failure => _failure;

    public void Begin(IStreamingResponse target, IResponsePrelude prelude)
    {
        _target = target;
        _preludeWriter = prelude;
    }

    /// <summary><c>DisableBuffering</c>: from now on every write goes out at once.</summary>
    public void DisableBuffering() => _unbuffered = true;

    public ValueTask AfterWriteAsync() => IsActive && (_unbuffered || features.ResponseBuffer.WrittenCount >= TransmitThreshold) ? TransmitAsync() : default;

    /// <summary>A synchronous write: blocks on the send, as synchronous I/O does on Kestrel.</summary>
    public void AfterWrite()
    {
        if (IsActive && (_unbuffered || features.ResponseBuffer.WrittenCount >= TransmitThreshold))
        {
            TransmitAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    public ValueTask FlushAsync() => IsActive ? TransmitAsync() : default;

    public void Flush()
    {
        if (IsActive)
        {
            TransmitAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>
    /// Sends what is left (the prelude too, if nothing went out yet) and ends the response; <paramref name="error"/>
    /// is the app's failure after <see cref="HasSent"/>. Never throws.
    /// </summary>
    public async ValueTask CompleteAsync(Exception? error)
    {
        if (_target is not { } target)
        {
            return;
        }

        if (_failure is null)
        {
            try
            {
                await TransmitAsync().ConfigureAwait(false);
            }
            catch (IOException)
            {
                // Recorded in _failure; the target reports it.
            }
        }

        await target.CompleteAsync(error).ConfigureAwait(false);
    }

    public void Reset()
    {
        _target = null;
        _preludeWriter = null;
        _unbuffered = false;
        _failure = null;
        HasSent = false;
        _prelude.Reset();
    }

    public void Dispose() => _prelude.Dispose();

    // The app's cancellation token is not passed on: a send abandoned half way would corrupt the chunked request,
    // and the Runtime API is local and reads promptly.
    private async ValueTask TransmitAsync()
    {
        if (_failure is not null)
        {
            throw new IOException("The streamed response was lost: sending it to the Runtime API failed.", _failure);
        }

        var body = features.ResponseBuffer;
        if (HttpMethods.IsHead(features.Method) || features.StatusCode is StatusCodes.Status204NoContent or StatusCodes.Status304NotModified)
        {
            body.Clear();
        }

        ReadOnlyMemory<byte> prelude = default;
        if (!HasSent)
        {
            _prelude.Clear();
            _preludeWriter!.Write(features, _prelude);
            prelude = _prelude.WrittenMemory;
        }
        else if (body.WrittenCount == 0)
        {
            return;
        }

        HasSent = true;
        try
        {
            await _target!.SendAsync(prelude, body.WrittenMemory, CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Whatever broke the connection, the app sees an I/O error and the invoker the cause.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            _failure = exception;
            throw new IOException("The streamed response was lost: sending it to the Runtime API failed.", exception);
        }

        body.Clear();
    }
}
