using CloudNativeApp.LambdaHosting.Runtime;
using Microsoft.Extensions.Logging.Abstractions;

namespace CloudNativeApp.LambdaHosting;

/// <summary>What <c>LambdaHttpInvoker.InvokeAsync</c> did with an event.</summary>
public enum LambdaInvocationKind
{
    /// <summary>The event was an HTTP event; the response JSON was written.</summary>
    HttpResponse,

    /// <summary>
    /// The event is not an HTTP request; nothing was written (it is for the authorizer handler when it is an API
    /// Gateway authorizer event, otherwise for the direct invocation handler).
    /// </summary>
    NotHttpEvent,

    /// <summary>The event was an HTTP event and its response was streamed; nothing was written to the buffer.</summary>
    StreamedHttpResponse,
}

/// <summary>Factory for an invoker over a plain <see cref="RequestDelegate"/> (benchmarks, tests).</summary>
public static class LambdaHttpInvoker
{
    /// <summary>An invoker running <paramref name="pipeline"/> with a reused <see cref="DefaultHttpContext"/>, no host needed.</summary>
    public static LambdaHttpInvoker<DefaultHttpContext> Create(RequestDelegate pipeline, LambdaHostingOptions? options = null, IServiceProvider? requestServices = null) =>
        new(new RequestDelegateApplication(pipeline, requestServices), options ?? new LambdaHostingOptions(), NullLogger.Instance);
}

/// <summary>
/// Event bytes in → response bytes out through an ASP.NET Core application, without a network: detects the event
/// source, builds the request features, runs the pipeline and writes the response JSON. One invocation at a time
/// reuses one feature set (and through it one HttpContext); concurrent calls get their own.
/// </summary>
public sealed class LambdaHttpInvoker<TContext>
    where TContext : notnull
{
    // Response bodies end up in API Gateway, never inside HTML, so only what JSON requires is escaped.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    private readonly IHttpApplication<TContext> _application;
    private readonly ILogger _logger;
    private readonly EventTranslator[] _translators;
    private readonly EventTranslator? _forced;
    private LambdaHttpFeatures<TContext>? _cachedFeatures;
    private Utf8JsonWriter? _cachedWriter;
    private LambdaEvent? _cachedEvent;

    /// <summary>An invoker that runs events through <paramref name="application"/>.</summary>
    /// <param name="application">The ASP.NET Core pipeline.</param>
    /// <param name="options">The hosting options (event source, binary content types).</param>
    /// <param name="logger">Where failures of the translation are logged.</param>
    public LambdaHttpInvoker(IHttpApplication<TContext> application, LambdaHostingOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(application);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _application = application;
        _logger = logger;
        var contentTypes = new ContentTypes(options);

        // ALB first: its events also have httpMethod and requestContext, like REST API events.
        _translators =
        [
            new AlbTranslator(options, contentTypes),
            new HttpApiTranslator(options, contentTypes),
            new RestApiTranslator(options, contentTypes),
        ];
        _forced = options.EventSource is { } source ? Array.Find(_translators, translator => translator.Source == source) : null;
    }

    /// <summary>
    /// Runs one event through the application and writes the response JSON to <paramref name="responseJson"/>.
    /// An exception in the application becomes a 500 problem response; <paramref name="cancellationToken"/> (the
    /// invocation deadline) drives <c>HttpContext.RequestAborted</c>, and a request it cancels (an
    /// <see cref="OperationCanceledException"/>, or ASP.NET Core's 499) becomes a 504 problem response.
    /// </summary>
    /// <exception cref="LambdaFunctionException">The event is not JSON, or is an HTTP event that cannot be read.</exception>
    public ValueTask<LambdaInvocationKind> InvokeAsync(
        ReadOnlyMemory<byte> eventJson,
        IBufferWriter<byte> responseJson,
        ILambdaContext? lambdaContext = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(responseJson);
        return InvokeAsync(eventJson, responseJson, null, lambdaContext, cancellationToken);
    }

    /// <summary>
    /// As the public overload, for the Lambda server. A response that would not fit Lambda's buffered limit
    /// (<see cref="MaxBufferedResponseBytes"/>, as JSON with its base64) is replaced by a 500 problem that fits when
    /// <paramref name="responseJson"/> is an empty <see cref="ArrayBufferWriter{T}"/> (measured after writing, so
    /// it can be written again). With <paramref name="streaming"/>, responses to events whose source reads a
    /// streamed response (<see cref="HttpIntegrationPrelude"/>) are sent there as the app writes them instead.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    internal async ValueTask<LambdaInvocationKind> InvokeAsync(
        ReadOnlyMemory<byte> eventJson,
        IBufferWriter<byte> responseJson,
        IStreamingResponse? streaming,
        ILambdaContext? lambdaContext,
        CancellationToken cancellationToken)
    {
        var features = Interlocked.Exchange(ref _cachedFeatures, null) ?? new LambdaHttpFeatures<TContext>();
        var lambdaEvent = Interlocked.Exchange(ref _cachedEvent, null) ?? new LambdaEvent();
        try
        {
            try
            {
                lambdaEvent.Read(eventJson, features.RequestBodyBuffer);
            }
            catch (JsonException exception)
            {
                throw new LambdaFunctionException(LambdaErrorTypes.InvalidEvent, $"The event is not valid JSON: {exception.Message}", exception);
            }

            var translator = FindTranslator(lambdaEvent);
            if (translator is null)
            {
                return LambdaInvocationKind.NotHttpEvent;
            }

            features.Initialize(eventJson, lambdaContext, cancellationToken);
            features.Source = translator.Source;
            translator.ReadRequest(lambdaEvent, features);
            if (lambdaContext?.TraceId is { } traceHeader)
            {
                // Lambda's header names this invocation's segment (the event's names the caller's), and travels with
                // the request where the process-wide _X_AMZN_TRACE_ID cannot under concurrency.
                features.RequestHeaders[TraceHeaderName] = traceHeader;
            }

            if (streaming is not null && HttpIntegrationPrelude.For(translator.Source, lambdaEvent) is { } prelude)
            {
                features.Streaming.Begin(streaming, prelude);
            }

            await RunApplicationAsync(features, cancellationToken).ConfigureAwait(false);
            if (features.Streaming.IsActive)
            {
                return LambdaInvocationKind.StreamedHttpResponse;
            }

            if (features.ResponseBuffer.WrittenCount > MaxBufferedResponseBytes)
            {
                LambdaHostingLog.ResponseTooLarge(_logger, features.Method, features.Path, features.ResponseBuffer.WrittenCount, MaxBufferedResponseBytes);
                // Escaping and base64 only add to it: too large without writing a second copy.
                WriteResponseTooLarge(features, features.ResponseBuffer.WrittenCount);
            }

            var written = WriteResponse(translator, lambdaEvent, features, responseJson);
            if (written > MaxBufferedResponseBytes && responseJson is ArrayBufferWriter<byte> { WrittenCount: var count } rewindable && count == written)
            {
                rewindable.ResetWrittenCount();
                LambdaHostingLog.ResponseTooLarge(_logger, features.Method, features.Path, written, MaxBufferedResponseBytes);
                WriteResponseTooLarge(features, written);
                WriteResponse(translator, lambdaEvent, features, responseJson);
            }

            return LambdaInvocationKind.HttpResponse;
        }
        finally
        {
            // The features first: they may still refer to the event (the caller's identity).
            features.Reset();
            _cachedFeatures = features;
            lambdaEvent.Clear();
            _cachedEvent = lambdaEvent;
        }
    }

    /// <summary>The most a buffered response may be, as posted (JSON envelope and base64 included): Lambda's 6 MB.</summary>
    internal const int MaxBufferedResponseBytes = 6 * 1024 * 1024;

    private long WriteResponse(EventTranslator translator, LambdaEvent lambdaEvent, LambdaHttpFeatures features, IBufferWriter<byte> responseJson)
    {
        var writer = Interlocked.Exchange(ref _cachedWriter, null) ?? new Utf8JsonWriter(responseJson, WriterOptions);
        writer.Reset(responseJson);
        translator.WriteResponse(lambdaEvent, features, writer);
        writer.Flush();
        var written = writer.BytesCommitted;
        writer.Reset();
        _cachedWriter = writer;
        return written;
    }

    private EventTranslator? FindTranslator(LambdaEvent lambdaEvent)
    {
        // Authorizer events look like HTTP events (REST REQUEST: httpMethod; HTTP API: version "2.0"), even to a forced source.
        if (!lambdaEvent.IsObject || lambdaEvent.AuthorizerKind is not null)
        {
            return null;
        }

        if (_forced is not null)
        {
            // Forcing a source still leaves non-HTTP events (a WebSocket API's too) to the direct handler.
            return lambdaEvent.IsHttpShaped ? _forced : null;
        }

        foreach (var translator in _translators)
        {
            if (translator.CanTranslate(lambdaEvent))
            {
                return translator;
            }
        }

        return null;
    }

    private async Task RunApplicationAsync(LambdaHttpFeatures<TContext> features, CancellationToken deadline)
    {
        var context = _application.CreateContext(features);
        Exception? failure = null;
        try
        {
            await _application.ProcessRequestAsync(context).ConfigureAwait(false);

            // RequestAborted here means the deadline passed, not that a client went away: ASP.NET Core's 499 "client
            // closed request" (what the exception handler answers to a cancelled request) would mislead the caller.
            if (deadline.IsCancellationRequested && features.StatusCode == StatusClientClosedRequest && !features.Streaming.HasSent)
            {
                LambdaHostingLog.DeadlineExceeded(_logger, features.Method, features.Path);
                WriteDeadlineExceeded(features);
            }

            await features.FireOnStartingAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException exception) when (deadline.IsCancellationRequested)
        {
            failure = exception;
            LambdaHostingLog.DeadlineExceeded(_logger, features.Method, features.Path);
            if (!features.Streaming.HasSent)
            {
                WriteDeadlineExceeded(features);
            }
        }
#pragma warning disable CA1031 // Any application failure becomes a 500 response; the invocation loop must go on.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            failure = exception;
            if (!features.Streaming.HasSent)
            {
                LambdaHostingLog.UnhandledApplicationException(_logger, exception, features.Method, features.Path);
                WriteInternalServerError(features);
            }
            else if (features.Streaming.Failure is null)
            {
                LambdaHostingLog.StreamedResponseFailed(_logger, exception, features.Method, features.Path);
            }
        }

        // Part of a streamed response went out: an error can only end it (with Lambda's error trailers), not replace it.
        await features.Streaming.CompleteAsync(features.Streaming.HasSent ? failure : null).ConfigureAwait(false);

        try
        {
            await features.FireOnCompletedAsync().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The response is already decided; a failing completion callback is only logged.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LambdaHostingLog.OnCompletedFailed(_logger, exception);
        }

        _application.DisposeContext(context, failure);
    }

    private const int StatusClientClosedRequest = 499;

    private const string TraceHeaderName = "X-Amzn-Trace-Id";

    private static void WriteInternalServerError(LambdaHttpFeatures features) =>
        WriteProblem(features, StatusCodes.Status500InternalServerError, "https://tools.ietf.org/html/rfc9110#section-15.6.1"u8, "An error occurred while processing your request."u8);

    private static void WriteDeadlineExceeded(LambdaHttpFeatures features) =>
        WriteProblem(features, StatusCodes.Status504GatewayTimeout, "https://tools.ietf.org/html/rfc9110#section-15.6.5"u8, "The request did not finish before the function's deadline."u8);

    private static void WriteResponseTooLarge(LambdaHttpFeatures features, long size)
    {
        InvocationActivity.ResponseReplaced(LambdaErrorTypes.ResponseTooLarge, StatusCodes.Status500InternalServerError);
        WriteProblem(
            features,
            StatusCodes.Status500InternalServerError,
            "https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html"u8,
            "The response is too large for a buffered Lambda response."u8,
            string.Create(
                CultureInfo.InvariantCulture,
                $"The response would be at least {size:N0} bytes; a buffered Lambda response can carry at most {MaxBufferedResponseBytes:N0} bytes including its JSON envelope and base64. Request less, or stream responses ({LambdaHostingOptions.ResponseStreamingKey}=true behind a Function URL or REST API with response streaming)."));
    }

    // Nothing has been sent yet (the response is buffered, or its stream not begun), so even a half-written response
    // can be replaced.
    private static void WriteProblem(LambdaHttpFeatures features, int status, ReadOnlySpan<byte> type, ReadOnlySpan<byte> title, string? detail = null)
    {
        features.ClearResponseForError();
        features.StatusCode = status;
        IHeaderDictionary headers = features.ResponseHeaders;
        headers.ContentType = "application/problem+json";
        headers.CacheControl = "no-store";
        var writer = new Utf8JsonWriter(features.ResponseBuffer);
        writer.WriteStartObject();
        writer.WriteString("type"u8, type);
        writer.WriteString("title"u8, title);
        writer.WriteNumber("status"u8, status);
        if (detail is not null)
        {
            writer.WriteString("detail"u8, detail);
        }

        writer.WriteString("traceId"u8, features.TraceIdentifier);
        writer.WriteEndObject();
        writer.Flush();
    }
}
