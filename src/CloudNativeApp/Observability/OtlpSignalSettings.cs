using OpenTelemetry.Exporter;

namespace CloudNativeApp.Observability;

/// <summary>
/// One signal's (<c>TRACES</c>, <c>METRICS</c>) own OTLP variables: <c>OTEL_EXPORTER_OTLP_{signal}_ENDPOINT</c>,
/// <c>_HEADERS</c>, <c>_PROTOCOL</c> and <c>_TIMEOUT</c>, which win over the general <c>OTEL_EXPORTER_OTLP_*</c> for
/// that signal, as the specification says. OpenTelemetry 1.20's <c>AddOtlpExporter</c> reads only the general ones, so
/// the app applies these itself (<see cref="ApplyTo"/>). They are read, and the general ones checked, when the SDK is
/// registered: a malformed value stops the start with an error naming its variable, where the exporter would ignore it
/// or fail only at its first export (in Lambda, after the first response).
/// </summary>
internal sealed record OtlpSignalSettings(Uri? Endpoint, string? Headers, OtlpExportProtocol? Protocol, int? TimeoutMilliseconds)
{
    private const string Prefix = "OTEL_EXPORTER_OTLP_";

    public static OtlpSignalSettings Read(IConfiguration configuration, string signal)
    {
        // The general ones too: the exporter would ignore a malformed endpoint or protocol, or fail at its first export.
        ReadEndpoint(configuration, $"{Prefix}ENDPOINT");
        ReadHeaders(configuration, $"{Prefix}HEADERS");
        ReadProtocol(configuration, $"{Prefix}PROTOCOL");
        ReadTimeout(configuration, $"{Prefix}TIMEOUT");
        return new OtlpSignalSettings(
            ReadEndpoint(configuration, $"{Prefix}{signal}_ENDPOINT"),
            ReadHeaders(configuration, $"{Prefix}{signal}_HEADERS"),
            ReadProtocol(configuration, $"{Prefix}{signal}_PROTOCOL"),
            ReadTimeout(configuration, $"{Prefix}{signal}_TIMEOUT"));
    }

    /// <summary>
    /// Sets what the signal's variables give on options that already hold the general ones. An endpoint set here is used
    /// as given, as the specification says of a signal's endpoint (no <c>/v1/traces</c> is appended).
    /// </summary>
    public void ApplyTo(OtlpExporterOptions options)
    {
        if (Protocol is { } protocol)
        {
            options.Protocol = protocol;
        }

        if (Endpoint is not null)
        {
            options.Endpoint = Endpoint;
        }

        if (Headers is not null)
        {
            options.Headers = Headers;
        }

        if (TimeoutMilliseconds is { } timeout)
        {
            options.TimeoutMilliseconds = timeout;
        }
    }

    private static string? Value(IConfiguration configuration, string key) =>
        configuration[key]?.Trim() is { Length: > 0 } value ? value : null;

    private static Uri? ReadEndpoint(IConfiguration configuration, string key) =>
        Value(configuration, key) is not { } value ? null
        : Uri.TryCreate(value, UriKind.Absolute, out var endpoint) && (endpoint.Scheme == Uri.UriSchemeHttp || endpoint.Scheme == Uri.UriSchemeHttps) ? endpoint
        : throw Malformed(key, value, "an absolute http or https URL");

    // The exporter's format: comma-separated key=value pairs, values percent-encoded; a pair without '=' or a key makes
    // it throw when it builds its client.
    private static string? ReadHeaders(IConfiguration configuration, string key)
    {
        if (Value(configuration, key) is not { } value)
        {
            return null;
        }

        foreach (var range in value.AsSpan().Split(','))
        {
            var pair = value.AsSpan()[range];
            var equals = pair.IndexOf('=');
            if (equals <= 0 || pair[..equals].Trim().IsEmpty)
            {
                throw new InvalidOperationException($"{key} must be comma-separated name=value pairs (its value is not shown: it may hold a secret).");
            }
        }

        return value;
    }

    private static OtlpExportProtocol? ReadProtocol(IConfiguration configuration, string key) => Value(configuration, key) switch
    {
        null => null,
        "grpc" => OtlpExportProtocol.Grpc,
        "http/protobuf" => OtlpExportProtocol.HttpProtobuf,
        var value => throw Malformed(key, value, "grpc or http/protobuf"),
    };

    private static int? ReadTimeout(IConfiguration configuration, string key) =>
        Value(configuration, key) is not { } value ? null
        : int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var milliseconds) && milliseconds > 0 ? milliseconds
        : throw Malformed(key, value, "a positive number of milliseconds");

    private static InvalidOperationException Malformed(string key, string value, string rule) =>
        new($"{key} must be {rule}, not '{value}'.");
}
