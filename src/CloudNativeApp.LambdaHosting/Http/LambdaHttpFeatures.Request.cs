using System.Runtime.InteropServices;
using Microsoft.Extensions.Primitives;

namespace CloudNativeApp.LambdaHosting.Http;

// IHttpRequestFeature, IHttpRequestBodyDetectionFeature, IHttpRequestIdentifierFeature, IHttpRequestLifetimeFeature.
internal partial class LambdaHttpFeatures
{
    private readonly Dictionary<string, StringValues> _requestHeaderStore = new(StringComparer.OrdinalIgnoreCase);
    private readonly HeaderDictionary _requestHeaders;
    private readonly RequestBodyStream _requestBody = new();

    // Kept between invocations and reset for the next when it was not cancelled (cancellation is rare: a deadline).
    private CancellationTokenSource? _abortSource;

    private RequestState _request;

    /// <summary>The event's body, decoded: translation writes it here, <see cref="SetRequestBody"/> makes it the body.</summary>
    public PooledBuffer RequestBodyBuffer { get; } = new();

    /// <summary>The event's headers; middleware may replace the dictionary for the rest of the request.</summary>
    public IHeaderDictionary RequestHeaders => _request.ReplacedHeaders ?? _requestHeaders;

    // The request line is kept in RequestState, so Reset forgets it with the rest; these only forward to it.
    public string Protocol { get => _request.Protocol; set => _request.Protocol = value; }
    public string Scheme { get => _request.Scheme; set => _request.Scheme = value; }
    public string Method { get => _request.Method; set => _request.Method = value; }
    public string PathBase { get => _request.PathBase; set => _request.PathBase = value; }
    public string Path { get => _request.Path; set => _request.Path = value; }
    public string QueryString { get => _request.QueryString; set => _request.QueryString = value; }
    public string RawTarget { get => _request.RawTarget; set => _request.RawTarget = value; }

    IHeaderDictionary IHttpRequestFeature.Headers
    {
        get => RequestHeaders;
        set => _request.ReplacedHeaders = value;
    }

    public Stream Body
    {
        get => _request.ReplacedBody ?? _requestBody;
        set => _request.ReplacedBody = value;
    }

    public bool CanHaveBody => _requestBody.Length > 0;

    public string TraceIdentifier
    {
        get => _request.TraceIdentifier ??= Guid.NewGuid().ToString("N");
        set => _request.TraceIdentifier = value;
    }

    /// <summary>Sets the identifier used when the invocation has no Lambda context (in-process translation).</summary>
    public void SetFallbackTraceIdentifier(string? requestId) => _request.TraceIdentifier ??= requestId;

    /// <summary>The first <paramref name="length"/> bytes of <see cref="RequestBodyBuffer"/> become the body.</summary>
    public void SetRequestBody(int length) => _requestBody.Reset(RequestBodyBuffer.WrittenMemory[..length]);

    /// <summary>Appends a request header value (repeated names in an event become one multi-value header).</summary>
    public void AppendRequestHeader(string name, string value)
    {
        if (_request.ReplacedHeaders is null)
        {
            // One hash of the name instead of a lookup and a store.
            ref var values = ref CollectionsMarshal.GetValueRefOrAddDefault(_requestHeaderStore, name, out var exists);
            values = exists ? StringValues.Concat(values, value) : new StringValues(value);
            return;
        }

        var headers = _request.ReplacedHeaders;
        headers[name] = headers.TryGetValue(name, out var existing) ? StringValues.Concat(existing, value) : new StringValues(value);
    }

    // The token is created on first use, linked to the invocation's deadline.
    public CancellationToken RequestAborted
    {
        get
        {
            if (!_request.AbortSourceInUse)
            {
                _request.AbortSourceInUse = true;
                if (_abortSource is null || !_abortSource.TryReset())
                {
                    _abortSource?.Dispose();
                    _abortSource = new CancellationTokenSource();
                }

                if (_request.InvocationAborted.CanBeCanceled)
                {
                    _request.AbortRegistration = _request.InvocationAborted.UnsafeRegister(static source => ((CancellationTokenSource)source!).Cancel(), _abortSource);
                }
            }

            return _abortSource!.Token;
        }
        set => throw new NotSupportedException("RequestAborted follows the invocation deadline.");
    }

    public void Abort()
    {
        _ = RequestAborted;
        _abortSource!.Cancel();
    }

    private void ResetRequest()
    {
        _request.AbortRegistration.Dispose();
        _requestHeaders.Clear();
        RequestBodyBuffer.Reset();
        _requestBody.Reset(default);
        _request = new();
    }

    private void DisposeRequest()
    {
        _abortSource?.Dispose();
        _abortSource = null;
        RequestBodyBuffer.Dispose();
        _requestBody.Dispose();
    }

    /// <summary>Everything about the request an invocation sets; <c>new()</c> is a request nobody has seen yet.</summary>
    private struct RequestState()
    {
        public string Protocol = "HTTP/1.1";
        public string Scheme = "https";
        public string Method = "GET";
        public string PathBase = "";
        public string Path = "/";
        public string QueryString = "";
        public string RawTarget = "";
        public IHeaderDictionary? ReplacedHeaders;
        public Stream? ReplacedBody;
        public string? TraceIdentifier;
        public CancellationToken InvocationAborted;
        public bool AbortSourceInUse;
        public CancellationTokenRegistration AbortRegistration;
    }
}
