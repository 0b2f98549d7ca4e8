namespace CloudNativeApp.LambdaHosting.Runtime;

/// <summary>
/// The Lambda Runtime API 2018-06-01 over HTTP: long-polls the next invocation, posts responses, function errors
/// and initialization errors.
/// </summary>
internal sealed class LambdaRuntimeClient : IDisposable
{
    public const string ErrorContentType = "application/vnd.aws.lambda.error+json";
    public const string ErrorTypeHeader = "Lambda-Runtime-Function-Error-Type";
    public const string ErrorBodyTrailer = "Lambda-Runtime-Function-Error-Body";
    public const string ResponseModeHeader = "Lambda-Runtime-Function-Response-Mode";

    private const string ApiPath = "/2018-06-01/runtime/";

    private readonly RuntimeApiConnection _connection;
    private readonly TimeProvider _time;

    /// <param name="runtimeApi">The <c>AWS_LAMBDA_RUNTIME_API</c> value, <c>host:port</c>.</param>
    /// <param name="timeProvider">The clock for invocation deadlines; the system clock by default.</param>
    /// <param name="blockingIo">Blocking socket calls on the caller's own thread (a Managed Instances worker).</param>
    public LambdaRuntimeClient(string runtimeApi, TimeProvider? timeProvider = null, bool blockingIo = false)
        : this(new RuntimeApiConnection(runtimeApi, blockingIo), runtimeApi, timeProvider)
    {
    }

    /// <summary>A client over <paramref name="connection"/> (in memory, to prime this code before a snapshot).</summary>
    public LambdaRuntimeClient(RuntimeApiConnection connection, string runtimeApi, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentException.ThrowIfNullOrEmpty(runtimeApi);
        _time = timeProvider ?? TimeProvider.System;

        // Local to the execution environment: no proxy (HTTP_PROXY may be set for the app) and no timeout, as /next
        // blocks until an event arrives, which may be hours later; the platform freezes us meanwhile.
        _connection = connection;
        RuntimeApi = runtimeApi;
        BaseAddress = new Uri($"http://{runtimeApi}{ApiPath}");
    }

    /// <summary>The <c>host:port</c> this client talks to.</summary>
    public string RuntimeApi { get; }

    public Uri BaseAddress { get; }

    /// <summary>Waits for the next invocation.</summary>
    /// <exception cref="LambdaRuntimeException">The Runtime API answered with an error status.</exception>
    public async Task<LambdaInvocation> GetNextInvocationAsync(CancellationToken cancellationToken)
    {
        const string path = "invocation/next";
        var response = await _connection.SendAsync(new RuntimeApiRequest("GET", ApiPath + path), cancellationToken).ConfigureAwait(false);
        try
        {
            if (response.StatusCode != (int)HttpStatusCode.OK)
            {
                throw LambdaRuntimeException.FromResponse(path, response);
            }

            var requestId = Header(response, "Lambda-Runtime-Aws-Request-Id")
                ?? throw new LambdaRuntimeException("The Runtime API sent an invocation without Lambda-Runtime-Aws-Request-Id.", HttpStatusCode.OK);
            var deadline = long.TryParse(Header(response, "Lambda-Runtime-Deadline-Ms"), NumberStyles.None, CultureInfo.InvariantCulture, out var deadlineMs)
                ? DateTimeOffset.FromUnixTimeMilliseconds(deadlineMs)
                : _time.GetUtcNow().AddMinutes(15);
            var context = new LambdaContext(requestId, deadline, _time)
            {
                InvokedFunctionArn = Header(response, "Lambda-Runtime-Invoked-Function-Arn") ?? "",
                TraceId = Header(response, "Lambda-Runtime-Trace-Id"),
                ClientContext = Header(response, "Lambda-Runtime-Client-Context"),
                CognitoIdentity = Header(response, "Lambda-Runtime-Cognito-Identity"),
            };

            // The invocation owns the pooled body from here on.
            return new LambdaInvocation(context, response.Body, response.BodyLength);
        }
        catch
        {
            response.ReturnBody();
            throw;
        }
    }

    /// <summary>Posts the invocation's result.</summary>
    /// <exception cref="LambdaRuntimeException">The Runtime API refused it (413: larger than Lambda allows).</exception>
    public Task PostResponseAsync(string requestId, ReadOnlyMemory<byte> response, CancellationToken cancellationToken) =>
        PostAsync($"invocation/{Uri.EscapeDataString(requestId)}/response", response, "application/json", null, cancellationToken).AsTask();

    /// <summary>
    /// Starts posting the invocation's response in streaming mode: chunked, with the error trailers announced; the
    /// returned request holds the connection until disposed, which closes it.
    /// </summary>
    public ValueTask<ChunkedRequest> OpenStreamingResponseAsync(string requestId, string contentType, CancellationToken cancellationToken)
    {
        var head = ChunkedRequestWriter.Head(
            _connection.Authority,
            $"{ApiPath}invocation/{Uri.EscapeDataString(requestId)}/response",
            contentType,
            [(ResponseModeHeader, "streaming"), ("Trailer", $"{ErrorTypeHeader}, {ErrorBodyTrailer}")]);
        return _connection.OpenChunkedAsync(head, cancellationToken);
    }

    /// <summary>Reports a function error for the invocation.</summary>
    public Task PostErrorAsync(string requestId, Exception exception, CancellationToken cancellationToken)
    {
        var errorType = LambdaErrorPayload.GetErrorType(exception);
        return PostAsync(
            $"invocation/{Uri.EscapeDataString(requestId)}/error", LambdaErrorPayload.Serialize(exception, errorType), ErrorContentType, (ErrorTypeHeader, errorType), cancellationToken).AsTask();
    }

    /// <summary>Reports that the function could not start. Synchronous: it runs while the process is dying.</summary>
    public void PostInitError(Exception exception)
    {
        var errorType = LambdaErrorPayload.GetErrorType(exception);

        // No synchronization context in a dying process's unhandled-exception handler: blocking cannot deadlock.
        PostAsync("init/error", LambdaErrorPayload.Serialize(exception, errorType), ErrorContentType, (ErrorTypeHeader, errorType), CancellationToken.None)
            .AsTask().GetAwaiter().GetResult();
    }

    /// <summary>
    /// SnapStart: waits on <c>/restore/next</c>, which Lambda answers once it has restored the snapshot taken while
    /// this call was pending.
    /// </summary>
    /// <exception cref="LambdaRuntimeException">Any answer but 200, or one that is not HTTP.</exception>
    public async Task WaitForRestoreAsync(CancellationToken cancellationToken)
    {
        const string path = "restore/next";
        var response = await _connection.SendAsync(new RuntimeApiRequest("GET", ApiPath + path), cancellationToken).ConfigureAwait(false);
        try
        {
            if (response.StatusCode != (int)HttpStatusCode.OK)
            {
                throw LambdaRuntimeException.FromResponse(path, response);
            }
        }
        finally
        {
            response.ReturnBody();
        }
    }

    /// <summary>SnapStart: reports that the function cannot run after the restore (an after-restore hook failed).</summary>
    public Task PostRestoreErrorAsync(Exception exception, string errorType, CancellationToken cancellationToken) =>
        PostAsync("restore/error", LambdaErrorPayload.Serialize(exception, errorType), ErrorContentType, (ErrorTypeHeader, errorType), cancellationToken).AsTask();

    public void Dispose() => _connection.Dispose();

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask PostAsync(string path, ReadOnlyMemory<byte> body, string contentType, (string, string)? header, CancellationToken cancellationToken)
    {
        var response = await _connection.SendAsync(new RuntimeApiRequest("POST", ApiPath + path, body, contentType, header), cancellationToken).ConfigureAwait(false);
        try
        {
            if (!response.IsSuccess)
            {
                throw LambdaRuntimeException.FromResponse(path, response);
            }
        }
        finally
        {
            response.ReturnBody();
        }
    }

    private static string? Header(RuntimeApiResponse response, string name) => response.Header(name) is { Length: > 0 } value ? value : null;
}

/// <summary>The Runtime API answered with an error status (or something it should never send).</summary>
public sealed class LambdaRuntimeException : Exception
{
    /// <summary>A Runtime API failure without details.</summary>
    public LambdaRuntimeException()
    {
    }

    /// <summary>A Runtime API failure.</summary><param name="message">What failed.</param>
    public LambdaRuntimeException(string message)
        : base(message)
    {
    }

    /// <summary>A Runtime API failure caused by <paramref name="innerException"/> (e.g. a refused connection).</summary><param name="message">What failed.</param><param name="innerException">The cause.</param>
    public LambdaRuntimeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>A Runtime API answer with an error status.</summary><param name="message">What failed.</param><param name="statusCode">The Runtime API's status code.</param>
    public LambdaRuntimeException(string message, HttpStatusCode statusCode)
        : base(message)
    {
        StatusCode = statusCode;
    }

    /// <summary>The Runtime API's status code, or null when no answer arrived.</summary>
    public HttpStatusCode? StatusCode { get; }

    internal static LambdaRuntimeException FromResponse(string path, RuntimeApiResponse response)
    {
        var body = Encoding.UTF8.GetString(response.Body, 0, response.BodyLength);
        var detail = "";
        try
        {
            using var document = JsonDocument.Parse(body);
            detail = document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("errorMessage", out var message) ? $": {message}" : $": {body}";
        }
        catch (JsonException)
        {
            detail = body.Length > 0 ? $": {body}" : "";
        }

        return new LambdaRuntimeException($"The Runtime API answered {response.StatusCode} to {path}{detail}", (HttpStatusCode)response.StatusCode);
    }
}
