using System.IO.Pipelines;

namespace CloudNativeApp.LambdaHosting.Http;

// IHttpResponseFeature and IHttpResponseBodyFeature: the response is buffered whole (a Lambda response is one JSON
// document), so "started" only means the headers are final; a streamed response also goes out as it is flushed
// (StreamingResponseBody).
internal partial class LambdaHttpFeatures
{
    private readonly List<(Func<object, Task> Callback, object State)> _onStarting = [];
    private readonly List<(Func<object, Task> Callback, object State)> _onCompleted = [];
    private readonly ResponseBodyStream _responseStream;
    private readonly ResponseBodyPipeWriter _responseWriter;

    private ResponseState _response;

    public PooledBuffer ResponseBuffer { get; } = new();

    /// <summary>Sends the body as it is written when the invocation's response is streamed.</summary>
    public StreamingResponseBody Streaming { get; }

    /// <summary>The concrete type, for enumeration without boxing; <c>IHeaderDictionary</c> casts give the typed accessors.</summary>
    public HeaderDictionary ResponseHeaders { get; } = new();

    public int StatusCode { get => _response.StatusCode; set => _response.StatusCode = value; }
    public string? ReasonPhrase { get => _response.ReasonPhrase; set => _response.ReasonPhrase = value; }

    IHeaderDictionary IHttpResponseFeature.Headers
    {
        get => ResponseHeaders;
        // The translators enumerate the concrete dictionary without boxing; replacing it is not supported.
        set => throw new NotSupportedException("The response headers of a Lambda invocation cannot be replaced; modify them instead.");
    }

    [Obsolete("Use IHttpResponseBodyFeature.Stream.")]
    Stream IHttpResponseFeature.Body
    {
        get => _responseStream;
        set => throw new NotSupportedException("Replace IHttpResponseBodyFeature instead.");
    }

    public bool HasStarted => _response.HasStarted;

    public void OnStarting(Func<object, Task> callback, object state)
    {
        if (HasStarted)
        {
            throw new InvalidOperationException("The response has already started.");
        }

        _onStarting.Add((callback, state));
    }

    public void OnCompleted(Func<object, Task> callback, object state) => _onCompleted.Add((callback, state));

    public Stream Stream => _responseStream;

    public PipeWriter Writer => _responseWriter;

    public void DisableBuffering() => Streaming.DisableBuffering();

    /// <summary>Starts the response; a streamed one also sends what it has (the prelude at least) now.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await EnsureStartedAsync().ConfigureAwait(false);
        await Streaming.FlushAsync().ConfigureAwait(false);
    }

    /// <summary>Starting the response on a write, as Kestrel does (without sending anything yet).</summary>
    public Task EnsureStartedAsync() => HasStarted ? Task.CompletedTask : FireOnStartingAsync();

    public async Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default)
    {
        await EnsureStartedAsync().ConfigureAwait(false);
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (file.ConfigureAwait(false))
        {
            file.Seek(offset, SeekOrigin.Begin);
            var remaining = count ?? file.Length - offset;
            while (remaining > 0)
            {
                var memory = ResponseBuffer.GetMemory((int)Math.Min(remaining, 64 * 1024));
                var read = await file.ReadAsync(memory[..(int)Math.Min(remaining, memory.Length)], cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                ResponseBuffer.Advance(read);
                remaining -= read;
                await Streaming.AfterWriteAsync().ConfigureAwait(false);
            }
        }
    }

    public Task CompleteAsync() => StartAsync();

    /// <summary>Starting the response on a synchronous write, as Kestrel does.</summary>
    public void EnsureStarted()
    {
        if (!HasStarted)
        {
            FireOnStartingAsync().GetAwaiter().GetResult();
        }
    }

    /// <summary>OnStarting callbacks run last-registered first, then headers become read-only.</summary>
    public async Task FireOnStartingAsync()
    {
        if (HasStarted)
        {
            return;
        }

        for (var i = _onStarting.Count - 1; i >= 0; i--)
        {
            var (callback, state) = _onStarting[i];
            await callback(state).ConfigureAwait(false);
        }

        _response.HasStarted = true;
        ResponseHeaders.IsReadOnly = true;
    }

    public async Task FireOnCompletedAsync()
    {
        List<Exception>? errors = null;
        for (var i = _onCompleted.Count - 1; i >= 0; i--)
        {
            var (callback, state) = _onCompleted[i];
            try
            {
                await callback(state).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Every completion callback must run; failures are reported together.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                (errors ??= []).Add(exception);
            }
        }

        if (errors is not null)
        {
            throw new AggregateException(errors);
        }
    }

    /// <summary>Discards what the app wrote so an error response can replace it (possible while nothing was sent: <see cref="StreamingResponseBody.HasSent"/>).</summary>
    public void ClearResponseForError()
    {
        ResponseHeaders.IsReadOnly = false;
        ResponseHeaders.Clear();
        ResponseBuffer.Reset();
        _response.HasStarted = true;
        _response.ReasonPhrase = null;
    }

    private void ResetResponse()
    {
        _onStarting.Clear();
        _onCompleted.Clear();
        ResponseHeaders.IsReadOnly = false;
        ResponseHeaders.Clear();
        ResponseBuffer.Reset();
        _responseWriter.Reset();
        Streaming.Reset();
        _response = new();
    }

    private void DisposeResponse()
    {
        ResponseBuffer.Dispose();
        Streaming.Dispose();
        _responseStream.Dispose();
    }

    /// <summary>Everything about the response an invocation sets; <c>new()</c> is a response not yet written.</summary>
    private struct ResponseState()
    {
        public int StatusCode = StatusCodes.Status200OK;
        public string? ReasonPhrase;
        public bool HasStarted;
    }
}
