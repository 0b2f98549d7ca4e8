namespace CloudNativeApp.LambdaHosting.Runtime;

/// <summary>
/// Runs the configured <see cref="LambdaPrimingRequest"/>s before a SnapStart snapshot through exactly what a real
/// invocation runs: the Runtime API client reads a <c>/next</c> answer and posts the response (over
/// <see cref="InMemoryRuntimeApi"/>, not a socket), the server's invocation processing (context, log scope, trace,
/// deadline), the event source's translator, the pipeline, and the response JSON. AWS's bridge primes only the
/// pipeline with a bare REST API request, leaving its Runtime API client and the real event's translation cold.
/// </summary>
internal sealed partial class LambdaPrimer(IEnumerable<LambdaPrimingRequest> requests, IOptions<LambdaHostingOptions> options, ILoggerFactory loggerFactory)
{
    private const string TraceIdVariable = "_X_AMZN_TRACE_ID";

    // A well-formed, unsampled X-Ray header, so the trace path (Activity, request header) is primed too.
    private const string PrimingTraceHeader = "Root=1-00000001-000000000000000000000001;Parent=0000000000000001;Sampled=0";

    private static readonly LambdaEventSource[] AllSources = [LambdaEventSource.HttpApi, LambdaEventSource.RestApi, LambdaEventSource.Alb];

    private readonly ILogger _logger = loggerFactory.CreateLogger("CloudNativeApp.LambdaHosting.SnapStart");

    public async Task PrimeAsync(string runtimeApi, InvocationProcessor process, CancellationToken cancellationToken)
    {
        var sources = options.Value.EventSource is { } forced ? [forced] : AllSources;
        var functionArn = $"arn:aws:lambda:{Environment.GetEnvironmentVariable("AWS_REGION") ?? "us-east-1"}:000000000000:function:{Environment.GetEnvironmentVariable("AWS_LAMBDA_FUNCTION_NAME") ?? "function"}";
        var response = new ArrayBufferWriter<byte>(16 * 1024);
        var count = 0;
        foreach (var request in requests)
        {
            foreach (var source in sources)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var requestId = $"priming-{++count}";
                var runtime = new InMemoryRuntimeApi(requestId, PrimingTraceHeader, PrimingEvents.Create(source, request), DateTimeOffset.UtcNow.AddMinutes(1), functionArn);
                using var client = new LambdaRuntimeClient(new RuntimeApiConnection(runtimeApi, _ => new(runtime)), runtimeApi);
                using (var invocation = await client.GetNextInvocationAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (!await process(client, invocation, response).ConfigureAwait(false))
                    {
                        throw new InvalidOperationException($"Priming {request.Method} {request.PathAndQuery} as a {source} event could not post its result.");
                    }
                }

                var posted = runtime.Sent;
                var outcome = posted.Contains($"/{requestId}/response ", StringComparison.Ordinal) ? StatusOf(response.WrittenSpan) : "function error";
                LogPrimed(_logger, request.Method, request.PathAndQuery, source, outcome);
            }
        }

        // Only the priming invocation set it (one at a time); the first real invocation sets its own.
        if (Environment.GetEnvironmentVariable(TraceIdVariable) == PrimingTraceHeader)
        {
            Environment.SetEnvironmentVariable(TraceIdVariable, null);
        }
    }

    private static string StatusOf(ReadOnlySpan<byte> responseJson)
    {
        var reader = new System.Text.Json.Utf8JsonReader(responseJson);
        while (reader.Read())
        {
            if (reader.TokenType == System.Text.Json.JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals("statusCode"u8) && reader.Read())
            {
                return reader.TokenType == System.Text.Json.JsonTokenType.Number ? reader.GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture) : "?";
            }
        }

        return "?";
    }

    [LoggerMessage(26, LogLevel.Debug, "Primed {Method} {Path} as a {Source} event: {Outcome}.")]
    private static partial void LogPrimed(ILogger logger, string method, string path, LambdaEventSource source, string outcome);
}
