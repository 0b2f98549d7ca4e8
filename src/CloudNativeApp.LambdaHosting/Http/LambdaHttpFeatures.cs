using System.Collections;
using System.IO.Pipelines;
using System.Net;
using System.Runtime.InteropServices;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server.Abstractions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Features.Authentication;
using Microsoft.Extensions.Primitives;

namespace CloudNativeApp.LambdaHosting.Http;

/// <summary>
/// Every server feature of one invocation on one object, reused for the next invocation (like Kestrel's HttpProtocol),
/// so a request costs the strings of its event and little else.
/// </summary>
internal partial class LambdaHttpFeatures :
    IFeatureCollection,
    IHttpRequestFeature,
    IHttpResponseFeature,
    IHttpResponseBodyFeature,
    IHttpRequestIdentifierFeature,
    IHttpRequestLifetimeFeature,
    IHttpConnectionFeature,
    IHttpRequestBodyDetectionFeature,
    IHttpAuthenticationFeature,
    ITlsConnectionFeature,
    ILambdaEventFeature,
    IDisposable
{
    private static readonly Type[] KnownFeatureTypes =
    [
        typeof(IHttpRequestFeature),
        typeof(IHttpResponseFeature),
        typeof(IHttpResponseBodyFeature),
        typeof(IHttpRequestIdentifierFeature),
        typeof(IHttpRequestLifetimeFeature),
        typeof(IHttpConnectionFeature),
        typeof(IHttpRequestBodyDetectionFeature),
        typeof(IHttpAuthenticationFeature),
        typeof(ITlsConnectionFeature),
        typeof(ILambdaEventFeature),
        typeof(ILambdaContext),
    ];

    private const int LambdaContextSlot = 10;

    // typeof comparisons compile to pointer compares: cheaper than a search, and this runs for every feature lookup.
    private static int SlotOf(Type key) =>
        key == typeof(IHttpRequestFeature) ? 0
        : key == typeof(IHttpResponseFeature) ? 1
        : key == typeof(IHttpResponseBodyFeature) ? 2
        : key == typeof(IHttpRequestIdentifierFeature) ? 3
        : key == typeof(IHttpRequestLifetimeFeature) ? 4
        : key == typeof(IHttpConnectionFeature) ? 5
        : key == typeof(IHttpRequestBodyDetectionFeature) ? 6
        : key == typeof(IHttpAuthenticationFeature) ? 7
        : key == typeof(ITlsConnectionFeature) ? 8
        : key == typeof(ILambdaEventFeature) ? 9
        : key == typeof(ILambdaContext) ? LambdaContextSlot
        : -1;

    private readonly object?[] _knownFeatures = new object?[KnownFeatureTypes.Length];
    private readonly List<KeyValuePair<Type, object>> _otherFeatures = [];
    private readonly List<(Func<object, Task> Callback, object State)> _onStarting = [];
    private readonly List<(Func<object, Task> Callback, object State)> _onCompleted = [];
    private readonly RequestBodyStream _requestBody = new();
    private readonly ResponseBodyStream _responseStream;
    private readonly ResponseBodyPipeWriter _responseWriter;
    private int _revision;

    private CancellationTokenSource? _abortSource;
    private CancellationToken _invocationAborted;
    private bool _abortSourceInUse;

    private string? _remoteIp;
    private IPAddress? _remoteIpAddress;
    private bool _remoteIpParsed;
    private string? _clientCertificatePem;
    private X509Certificate2? _clientCertificate;
    private bool _clientCertificateParsed;
    private ClaimsPrincipal? _user;
    private bool _userResolved;
    private string? _traceIdentifier;

    public LambdaHttpFeatures()
    {
        _responseStream = new ResponseBodyStream(this);
        _responseWriter = new ResponseBodyPipeWriter(this);
        Body = _requestBody;
        _requestHeaders = new HeaderDictionary(_requestHeaderStore);
        RequestHeaders = _requestHeaders;
    }

    public PooledBuffer RequestBodyBuffer { get; } = new();

    public PooledBuffer ResponseBuffer { get; } = new();

    /// <summary>The event's headers; middleware may replace the dictionary for the rest of the request.</summary>
    public IHeaderDictionary RequestHeaders { get; private set; }

    /// <summary>The concrete type, for enumeration without boxing; <c>IHeaderDictionary</c> casts give the typed accessors.</summary>
    public HeaderDictionary ResponseHeaders { get; } = new();

    private readonly Dictionary<string, StringValues> _requestHeaderStore = new(StringComparer.OrdinalIgnoreCase);

    private readonly HeaderDictionary _requestHeaders;

    /// <summary>The event has an authorizer section or an IAM caller, so User is built from it (parsing the event) on first use.</summary>
    public bool EventMayCarryIdentity { get; set; }

    /// <summary>ALB answers in the header mode of the request.</summary>
    public bool MultiValueHeaders { get; set; }

    public LambdaEventSource Source { get; set; }

    public ReadOnlyMemory<byte> RawEvent { get; private set; }

    /// <summary>Parsed on first use: translation reads the bytes directly, and most requests never ask.</summary>
    public JsonElement ParsedEvent
    {
        get
        {
            if (_parsedEvent is null && !RawEvent.IsEmpty)
            {
                _parsedEvent = JsonDocument.Parse(RawEvent, ParsedEventOptions);
            }

            return _parsedEvent?.RootElement ?? default;
        }
    }

    private static readonly JsonDocumentOptions ParsedEventOptions = new() { MaxDepth = 64 };

    private JsonDocument? _parsedEvent;

    public ILambdaContext? LambdaContext { get; private set; }

    /// <summary>Ready for a new invocation: everything from the previous one is forgotten.</summary>
    public void Initialize(ReadOnlyMemory<byte> rawEvent, ILambdaContext? lambdaContext, CancellationToken aborted)
    {
        _revision++;
        for (var i = 0; i < _knownFeatures.Length; i++)
        {
            _knownFeatures[i] = this;
        }

        _knownFeatures[LambdaContextSlot] = lambdaContext;
        LambdaContext = lambdaContext;
        RawEvent = rawEvent;
        _invocationAborted = aborted;
        _traceIdentifier = lambdaContext?.AwsRequestId;

        Protocol = "HTTP/1.1";
        Scheme = "https";
        Method = "GET";
        PathBase = "";
        Path = "/";
        QueryString = "";
        RawTarget = "";
        Body = _requestBody;
        StatusCode = StatusCodes.Status200OK;
        ReasonPhrase = null;
        HasStarted = false;
        MultiValueHeaders = false;
        EventMayCarryIdentity = false;
        LocalPort = 443;
        RemotePort = 0;
    }

    /// <summary>Releases what the invocation referenced (event memory, large buffers, callbacks).</summary>
    public void Reset()
    {
        _otherFeatures.Clear();
        _onStarting.Clear();
        _onCompleted.Clear();
        _requestHeaders.Clear();
        RequestHeaders = _requestHeaders;
        ResponseHeaders.IsReadOnly = false;
        ResponseHeaders.Clear();
        RequestBodyBuffer.Reset();
        ResponseBuffer.Reset();
        _requestBody.Reset(default);
        _responseWriter.Reset();
        RawEvent = default;
        _parsedEvent?.Dispose();
        _parsedEvent = null;
        LambdaContext = null;
        _knownFeatures[LambdaContextSlot] = null;
        _remoteIp = null;
        _remoteIpAddress = null;
        _remoteIpParsed = false;
        _clientCertificatePem = null;
        _clientCertificate?.Dispose();
        _clientCertificate = null;
        _clientCertificateParsed = false;
        _user = null;
        _userResolved = false;
        _traceIdentifier = null;
        ReleaseAbortSource();
    }

    public void SetRequestBody(int length)
    {
        _requestBody.Reset(RequestBodyBuffer.WrittenMemory[..length]);
    }

    public void SetRemoteIp(string? remoteIp) => _remoteIp = remoteIp;

    public void SetClientCertificatePem(string? pem) => _clientCertificatePem = pem;

    /// <summary>Sets the identifier used when the invocation has no Lambda context (in-process translation).</summary>
    public void SetFallbackTraceIdentifier(string? requestId) => _traceIdentifier ??= requestId;

    // IFeatureCollection

    public bool IsReadOnly => false;

    public int Revision => _revision;

    public object? this[Type key]
    {
        get
        {
            var slot = SlotOf(key);
            if (slot >= 0)
            {
                return _knownFeatures[slot];
            }

            foreach (var (type, feature) in _otherFeatures)
            {
                if (type == key)
                {
                    return feature;
                }
            }

            return null;
        }
        set
        {
            _revision++;
            var slot = SlotOf(key);
            if (slot >= 0)
            {
                _knownFeatures[slot] = value;
                return;
            }

            for (var i = 0; i < _otherFeatures.Count; i++)
            {
                if (_otherFeatures[i].Key == key)
                {
                    if (value is null)
                    {
                        _otherFeatures.RemoveAt(i);
                    }
                    else
                    {
                        _otherFeatures[i] = new(key, value);
                    }

                    return;
                }
            }

            if (value is not null)
            {
                _otherFeatures.Add(new(key, value));
            }
        }
    }

    public TFeature? Get<TFeature>() => (TFeature?)this[typeof(TFeature)];

    public void Set<TFeature>(TFeature? instance) => this[typeof(TFeature)] = instance;

    public IEnumerator<KeyValuePair<Type, object>> GetEnumerator()
    {
        for (var i = 0; i < KnownFeatureTypes.Length; i++)
        {
            if (_knownFeatures[i] is { } feature)
            {
                yield return new(KnownFeatureTypes[i], feature);
            }
        }

        foreach (var pair in _otherFeatures)
        {
            yield return pair;
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    // IHttpRequestFeature

    public string Protocol { get; set; } = "HTTP/1.1";

    public string Scheme { get; set; } = "https";

    public string Method { get; set; } = "GET";

    public string PathBase { get; set; } = "";

    public string Path { get; set; } = "/";

    public string QueryString { get; set; } = "";

    public string RawTarget { get; set; } = "";

    IHeaderDictionary IHttpRequestFeature.Headers
    {
        get => RequestHeaders;
        set => RequestHeaders = value;
    }

    public Stream Body { get; set; }

    // IHttpRequestBodyDetectionFeature

    public bool CanHaveBody => _requestBody.Length > 0;

    // IHttpRequestIdentifierFeature

    public string TraceIdentifier
    {
        get => _traceIdentifier ??= Guid.NewGuid().ToString("N");
        set => _traceIdentifier = value;
    }

    // IHttpRequestLifetimeFeature: the token is created on first use, linked to the invocation's deadline.

    public CancellationToken RequestAborted
    {
        get
        {
            if (!_abortSourceInUse)
            {
                _abortSourceInUse = true;
                if (_abortSource is null || !_abortSource.TryReset())
                {
                    _abortSource?.Dispose();
                    _abortSource = new CancellationTokenSource();
                }

                if (_invocationAborted.CanBeCanceled)
                {
                    _abortRegistration = _invocationAborted.UnsafeRegister(static source => ((CancellationTokenSource)source!).Cancel(), _abortSource);
                }
            }

            return _abortSource!.Token;
        }
        set => throw new NotSupportedException("RequestAborted follows the invocation deadline.");
    }

    private CancellationTokenRegistration _abortRegistration;

    public void Abort()
    {
        _ = RequestAborted;
        _abortSource!.Cancel();
    }

    private void ReleaseAbortSource()
    {
        _abortRegistration.Dispose();
        _abortRegistration = default;
        _abortSourceInUse = false;
        _invocationAborted = default;
    }

    // IHttpConnectionFeature

    public string ConnectionId
    {
        get => TraceIdentifier;
        set => TraceIdentifier = value;
    }

    public IPAddress? RemoteIpAddress
    {
        get
        {
            if (!_remoteIpParsed)
            {
                _remoteIpParsed = true;
                _remoteIpAddress = IPAddress.TryParse(_remoteIp, out var address) ? address : null;
            }

            return _remoteIpAddress;
        }
        set
        {
            _remoteIpParsed = true;
            _remoteIpAddress = value;
        }
    }

    public IPAddress? LocalIpAddress { get; set; }

    public int RemotePort { get; set; }

    public int LocalPort { get; set; } = 443;

    // ITlsConnectionFeature: the certificate of mutual TLS, parsed only when asked for.

    public X509Certificate2? ClientCertificate
    {
        get
        {
            if (!_clientCertificateParsed)
            {
                _clientCertificateParsed = true;
                _clientCertificate = ParseCertificate(_clientCertificatePem);
            }

            return _clientCertificate;
        }
        set
        {
            _clientCertificateParsed = true;
            _clientCertificate = value;
        }
    }

    public Task<X509Certificate2?> GetClientCertificateAsync(CancellationToken cancellationToken) => Task.FromResult(ClientCertificate);

    private static X509Certificate2? ParseCertificate(string? pem)
    {
        if (string.IsNullOrWhiteSpace(pem))
        {
            return null;
        }

        try
        {
            return X509Certificate2.CreateFromPem(pem);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    // IHttpAuthenticationFeature: authorizer claims become the user on first use.

    public ClaimsPrincipal? User
    {
        get
        {
            if (!_userResolved)
            {
                _userResolved = true;
                _user = EventMayCarryIdentity ? AuthorizerClaims.CreatePrincipal(Source, ParsedEvent.Object("requestContext"u8)) : null;
            }

            return _user;
        }
        set
        {
            _userResolved = true;
            _user = value;
        }
    }

    // IHttpResponseFeature

    public int StatusCode { get; set; } = StatusCodes.Status200OK;

    public string? ReasonPhrase { get; set; }

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

    public bool HasStarted { get; private set; }

    public void OnStarting(Func<object, Task> callback, object state)
    {
        if (HasStarted)
        {
            throw new InvalidOperationException("The response has already started.");
        }

        _onStarting.Add((callback, state));
    }

    public void OnCompleted(Func<object, Task> callback, object state) => _onCompleted.Add((callback, state));

    // IHttpResponseBodyFeature

    public Stream Stream => _responseStream;

    public PipeWriter Writer => _responseWriter;

    public void DisableBuffering()
    {
    }

    public Task StartAsync(CancellationToken cancellationToken = default) => HasStarted ? Task.CompletedTask : FireOnStartingAsync();

    public async Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default)
    {
        await StartAsync(cancellationToken).ConfigureAwait(false);
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

        HasStarted = true;
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

    /// <summary>Discards what the app wrote so an error response can replace it (possible because nothing was sent yet).</summary>
    public void ClearResponseForError()
    {
        ResponseHeaders.IsReadOnly = false;
        ResponseHeaders.Clear();
        ResponseBuffer.Reset();
        HasStarted = true;
        ReasonPhrase = null;
    }

    public void Dispose()
    {
        Reset();
        _abortSource?.Dispose();
        _abortSource = null;
        RequestBodyBuffer.Dispose();
        ResponseBuffer.Dispose();
        _requestBody.Dispose();
        _responseStream.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Appends a request header value (repeated names in an event become one multi-value header).</summary>
    public void AppendRequestHeader(string name, string value)
    {
        if (ReferenceEquals(RequestHeaders, _requestHeaders))
        {
            // One hash of the name instead of a lookup and a store.
            ref var values = ref CollectionsMarshal.GetValueRefOrAddDefault(_requestHeaderStore, name, out var exists);
            values = exists ? StringValues.Concat(values, value) : new StringValues(value);
            return;
        }

        if (RequestHeaders.TryGetValue(name, out var existing))
        {
            RequestHeaders[name] = StringValues.Concat(existing, value);
        }
        else
        {
            RequestHeaders[name] = value;
        }
    }
}

/// <summary>Lets the hosting layer reuse its per-request context (and the HttpContext in it) with this feature set.</summary>
internal sealed class LambdaHttpFeatures<TContext> : LambdaHttpFeatures, IHostContextContainer<TContext>
    where TContext : notnull
{
    public TContext? HostContext { get; set; }
}
