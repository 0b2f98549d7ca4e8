using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace CloudNativeApp.LambdaHosting.Runtime;

/// <summary>
/// The Lambda Runtime API 2018-06-01 over HTTP: long-polls the next invocation, posts responses, function errors
/// and initialization errors.
/// </summary>
internal sealed class LambdaRuntimeClient : IDisposable
{
    public const string ErrorContentType = "application/vnd.aws.lambda.error+json";
    public const string ErrorTypeHeader = "Lambda-Runtime-Function-Error-Type";

    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json");
    private static readonly MediaTypeHeaderValue ErrorMediaType = new(ErrorContentType);

    private readonly HttpClient _http;
    private readonly TimeProvider _time;

    /// <param name="runtimeApi">The <c>AWS_LAMBDA_RUNTIME_API</c> value, <c>host:port</c>.</param>
    public LambdaRuntimeClient(string runtimeApi, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(runtimeApi);
        _time = timeProvider ?? TimeProvider.System;
        _http = new HttpClient(new SocketsHttpHandler
        {
            // The Runtime API is local to the execution environment: no proxy (HTTP_PROXY may be set for the app),
            // and one connection kept for the life of the process.
            UseProxy = false,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            AutomaticDecompression = DecompressionMethods.None,
        })
        {
            BaseAddress = new Uri($"http://{runtimeApi}/2018-06-01/runtime/"),

            // /next blocks until an event arrives, which may be hours later; the platform freezes us meanwhile.
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public Uri BaseAddress => _http.BaseAddress!;

    /// <summary>Waits for the next invocation.</summary>
    /// <exception cref="LambdaRuntimeException">The Runtime API answered with an error status.</exception>
    public async Task<LambdaInvocation> GetNextInvocationAsync(CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync("invocation/next", HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw await LambdaRuntimeException.FromResponseAsync("invocation/next", response, cancellationToken).ConfigureAwait(false);
        }

        var headers = response.Headers;
        var requestId = Header(headers, "Lambda-Runtime-Aws-Request-Id")
            ?? throw new LambdaRuntimeException("The Runtime API sent an invocation without Lambda-Runtime-Aws-Request-Id.", response.StatusCode);
        var deadline = long.TryParse(Header(headers, "Lambda-Runtime-Deadline-Ms"), NumberStyles.None, CultureInfo.InvariantCulture, out var deadlineMs)
            ? DateTimeOffset.FromUnixTimeMilliseconds(deadlineMs)
            : _time.GetUtcNow().AddMinutes(15);
        var context = new LambdaContext(requestId, deadline, _time)
        {
            InvokedFunctionArn = Header(headers, "Lambda-Runtime-Invoked-Function-Arn") ?? "",
            TraceId = Header(headers, "Lambda-Runtime-Trace-Id"),
            ClientContext = Header(headers, "Lambda-Runtime-Client-Context"),
            CognitoIdentity = Header(headers, "Lambda-Runtime-Cognito-Identity"),
        };

        var (buffer, length) = await ReadBodyAsync(response.Content, cancellationToken).ConfigureAwait(false);
        return new LambdaInvocation(context, buffer, length);
    }

    /// <summary>Posts the invocation's result.</summary>
    /// <exception cref="LambdaRuntimeException">The Runtime API refused it (413: larger than Lambda allows).</exception>
    public async Task PostResponseAsync(string requestId, ReadOnlyMemory<byte> response, CancellationToken cancellationToken)
    {
        using var content = new ReadOnlyMemoryContent(response);
        content.Headers.ContentType = JsonContentType;
        await PostAsync($"invocation/{Uri.EscapeDataString(requestId)}/response", content, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reports a function error for the invocation.</summary>
    public async Task PostErrorAsync(string requestId, Exception exception, CancellationToken cancellationToken)
    {
        using var content = CreateErrorContent(exception, out var errorType);
        var path = $"invocation/{Uri.EscapeDataString(requestId)}/error";
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.TryAddWithoutValidation(ErrorTypeHeader, errorType);
        await SendAsync(path, request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reports that the function could not start. Synchronous: it runs while the process is dying.</summary>
    public void PostInitError(Exception exception)
    {
        using var content = CreateErrorContent(exception, out var errorType);
        using var request = new HttpRequestMessage(HttpMethod.Post, "init/error") { Content = content };
        request.Headers.TryAddWithoutValidation(ErrorTypeHeader, errorType);
        using var response = _http.Send(request);
        if (!response.IsSuccessStatusCode)
        {
            throw new LambdaRuntimeException($"The Runtime API answered {(int)response.StatusCode} to init/error.", response.StatusCode);
        }
    }

    public void Dispose() => _http.Dispose();

    private async Task PostAsync(string path, HttpContent content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        await SendAsync(path, request, cancellationToken).ConfigureAwait(false);
    }

    private async Task SendAsync(string path, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw await LambdaRuntimeException.FromResponseAsync(path, response, cancellationToken).ConfigureAwait(false);
        }
    }

    private static ByteArrayContent CreateErrorContent(Exception exception, out string errorType)
    {
        errorType = LambdaErrorPayload.GetErrorType(exception);
        var content = new ByteArrayContent(LambdaErrorPayload.Serialize(exception, errorType));
        content.Headers.ContentType = ErrorMediaType;
        return content;
    }

    private static string? Header(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() is { Length: > 0 } value ? value : null : null;

    private static async Task<(byte[] Buffer, int Length)> ReadBodyAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var expected = content.Headers.ContentLength is { } length and <= int.MaxValue ? (int)length : 16 * 1024;
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(expected, 1));
        var total = 0;
        try
        {
            var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                while (true)
                {
                    if (total == buffer.Length)
                    {
                        var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        buffer.AsSpan(0, total).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }

                    var read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        return (buffer, total);
                    }

                    total += read;
                }
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }
}

/// <summary>The Runtime API answered with an error status (or something it should never send).</summary>
public sealed class LambdaRuntimeException : Exception
{
    public LambdaRuntimeException()
    {
    }

    public LambdaRuntimeException(string message)
        : base(message)
    {
    }

    public LambdaRuntimeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public LambdaRuntimeException(string message, HttpStatusCode statusCode)
        : base(message)
    {
        StatusCode = statusCode;
    }

    public HttpStatusCode? StatusCode { get; }

    internal static async Task<LambdaRuntimeException> FromResponseAsync(string path, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var detail = "";
        try
        {
            using var document = JsonDocument.Parse(body);
            detail = document.RootElement.TryGetProperty("errorMessage", out var message) ? $": {message}" : $": {body}";
        }
        catch (JsonException)
        {
            detail = body.Length > 0 ? $": {body}" : "";
        }

        return new LambdaRuntimeException($"The Runtime API answered {(int)response.StatusCode} to {path}{detail}", response.StatusCode);
    }
}
