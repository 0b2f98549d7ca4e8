using Microsoft.AspNetCore.Hosting.Server.Abstractions;
using Microsoft.AspNetCore.Http.Features.Authentication;

namespace CloudNativeApp.LambdaHosting.Http;

/// <summary>
/// Every server feature of one invocation on one object, reused for a later invocation (like Kestrel's HttpProtocol),
/// so a request costs the strings of its event and little else. An object serves one invocation at a time;
/// invocations in flight together each have their own (the invoker pools them), so none of this is shared.
/// </summary>
/// <remarks>
/// One file per concern: the feature slots (FeatureCollection), request and body (Request), response and its
/// callbacks (Response), connection, TLS and user (Connection). What an invocation can change is kept in one state
/// struct per concern, and <see cref="Reset"/> replaces each whole: the one way back to a fresh object, so nothing set
/// during one invocation, including a value added to a struct later, is seen by the next.
/// </remarks>
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
    private static readonly JsonDocumentOptions ParsedEventOptions = new() { MaxDepth = 64 };

    private EventState _event;

    public LambdaHttpFeatures()
    {
        _responseStream = new ResponseBodyStream(this);
        _responseWriter = new ResponseBodyPipeWriter(this);
        Streaming = new StreamingResponseBody(this);
        _requestHeaders = new HeaderDictionary(_requestHeaderStore);
        Reset();
    }

    public LambdaEventSource Source { get => _event.Source; set => _event.Source = value; }

    public ReadOnlyMemory<byte> RawEvent => _event.Raw;

    /// <summary>Parsed on first use: translation reads the bytes directly, and most requests never ask.</summary>
    public JsonElement ParsedEvent
    {
        get
        {
            if (_event.Parsed is null && !_event.Raw.IsEmpty)
            {
                _event.Parsed = JsonDocument.Parse(_event.Raw, ParsedEventOptions);
            }

            return _event.Parsed?.RootElement ?? default;
        }
    }

    public ILambdaContext? LambdaContext => _event.Context;

    /// <summary>Starts an invocation on a reset object: its event, its Lambda context and the deadline that aborts it.</summary>
    public void Initialize(ReadOnlyMemory<byte> rawEvent, ILambdaContext? lambdaContext, CancellationToken aborted)
    {
        _event.Raw = rawEvent;
        _event.Context = lambdaContext;
        SetLambdaContextFeature(lambdaContext);
        _request.TraceIdentifier = lambdaContext?.AwsRequestId;
        _request.InvocationAborted = aborted;
    }

    /// <summary>
    /// Back to the state of a new object, after every invocation: releases what the invocation referenced (event
    /// memory, large buffers, callbacks, replaced features) and forgets every value it set.
    /// </summary>
    public void Reset()
    {
        ResetFeatureSlots();
        ResetRequest();
        ResetResponse();
        ResetConnection();
        _event.Parsed?.Dispose();
        _event = default;
    }

    public void Dispose()
    {
        Reset();
        DisposeRequest();
        DisposeResponse();
        GC.SuppressFinalize(this);
    }

    /// <summary>What the invocation is made of (ILambdaEventFeature and the Lambda context).</summary>
    private struct EventState
    {
        public LambdaEventSource Source;
        public ReadOnlyMemory<byte> Raw;
        public JsonDocument? Parsed;
        public ILambdaContext? Context;
    }
}

/// <summary>Lets the hosting layer reuse its per-request context (and the HttpContext in it) with this feature set.</summary>
internal sealed class LambdaHttpFeatures<TContext> : LambdaHttpFeatures, IHostContextContainer<TContext>
    where TContext : notnull
{
    public TContext? HostContext { get; set; }
}
