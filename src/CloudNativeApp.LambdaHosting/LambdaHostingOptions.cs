namespace CloudNativeApp.LambdaHosting;

/// <summary>Options for <see cref="LambdaHostingServiceCollectionExtensions.AddLambdaHosting"/>.</summary>
public sealed class LambdaHostingOptions
{
    /// <summary>The configuration key bound to <see cref="ResponseStreaming"/>.</summary>
    public const string ResponseStreamingKey = "Lambda:ResponseStreaming";

    /// <summary>Treat every HTTP event as this source instead of detecting it per event (null: detect).</summary>
    public LambdaEventSource? EventSource { get; set; }

    /// <summary>
    /// Response media types sent base64-encoded even though the default rules call them text
    /// (text/*, JSON, XML, JavaScript, form data, and their +json/+xml variants). Exact, case-insensitive, no parameters.
    /// </summary>
    public ISet<string> BinaryContentTypes { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Extra response media types sent as text (everything not text by the default rules is base64-encoded).</summary>
    public ISet<string> TextContentTypes { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Scheme when the event has no <c>X-Forwarded-Proto</c> header (API Gateway and Function URLs are HTTPS only).</summary>
    public string DefaultScheme { get; set; } = "https";

    /// <summary>
    /// Invocations run at once, each with its own Runtime API poller (Lambda Managed Instances). Null: from
    /// <c>AWS_LAMBDA_MAX_CONCURRENCY</c>, which Lambda sets on a capacity provider; unset there too, one at a time.
    /// </summary>
    public int? MaxConcurrency { get; set; }

    /// <summary>
    /// Run the SnapStart lifecycle (priming, before-snapshot hooks, <c>/restore/next</c>, after-restore hooks) before
    /// polling. Null: when <c>AWS_LAMBDA_INITIALIZATION_TYPE</c> is <c>snap-start</c>, as Lambda sets it.
    /// </summary>
    public bool? SnapStart { get; set; }

    /// <summary>
    /// Post Function URL and REST API responses in Lambda's streaming mode (the body goes out as the app writes and
    /// flushes it, up to 200 MB) instead of as one buffered JSON document (at most 6 MB). The Function URL must use
    /// <c>InvokeMode: RESPONSE_STREAM</c> and the REST API integration <c>responseTransferMode: STREAM</c>; HTTP API
    /// and ALB events, which cannot be streamed, and direct invocations stay buffered. Bound from
    /// <c>Lambda:ResponseStreaming</c>.
    /// </summary>
    public bool ResponseStreaming { get; set; }
}
