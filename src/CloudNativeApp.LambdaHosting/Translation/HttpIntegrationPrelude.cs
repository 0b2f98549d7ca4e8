namespace CloudNativeApp.LambdaHosting.Translation;

/// <summary>
/// The start of a streamed HTTP response (content type <c>application/vnd.awslambda.http-integration-response</c>):
/// the source's response JSON without its body (statusCode, headers, cookies for a Function URL; statusCode and
/// multiValueHeaders for a REST API), then eight NUL bytes, after which the body follows as is. Only Function URLs
/// (<c>InvokeMode: RESPONSE_STREAM</c>) and REST APIs (<c>responseTransferMode: STREAM</c>) read this format; HTTP
/// APIs and ALBs invoke functions buffered and would take it for a malformed response.
/// </summary>
internal sealed class HttpIntegrationPrelude : IResponsePrelude
{
    public const string ContentType = "application/vnd.awslambda.http-integration-response";

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    private readonly LambdaEventSource _source;

    private HttpIntegrationPrelude(LambdaEventSource source) => _source = source;

    private static HttpIntegrationPrelude FunctionUrl { get; } = new(LambdaEventSource.HttpApi);

    private static HttpIntegrationPrelude RestApi { get; } = new(LambdaEventSource.RestApi);

    /// <summary>The prelude for an event whose response can be streamed, or null when it must be buffered.</summary>
    public static HttpIntegrationPrelude? For(LambdaEventSource source, LambdaEvent lambdaEvent) => source switch
    {
        LambdaEventSource.RestApi => RestApi,
        LambdaEventSource.HttpApi when IsFunctionUrl(lambdaEvent) => FunctionUrl,
        _ => null,
    };

    public void Write(LambdaHttpFeatures features, IBufferWriter<byte> output)
    {
        using (var writer = new Utf8JsonWriter(output, WriterOptions))
        {
            writer.WriteStartObject();
            if (_source == LambdaEventSource.RestApi)
            {
                RestApiTranslator.WriteResponseHead(features, writer);
            }
            else
            {
                HttpApiTranslator.WriteResponseHead(features, writer);
            }

            writer.WriteEndObject();
        }

        output.GetSpan(8)[..8].Clear();
        output.Advance(8);
    }

    // Function URL events have the HTTP API's payload 2.0 shape; only their domain tells them apart
    // (<url-id>.lambda-url.<region>.on.aws, also behind CloudFront, which forwards to that host).
    private static bool IsFunctionUrl(LambdaEvent lambdaEvent) =>
        lambdaEvent.String(lambdaEvent.RequestContext.DomainName)?.Contains(".lambda-url.", StringComparison.OrdinalIgnoreCase) == true;
}
