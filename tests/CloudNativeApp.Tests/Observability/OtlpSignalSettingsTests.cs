using Microsoft.Extensions.Configuration;
using OpenTelemetry.Exporter;

namespace CloudNativeApp.Tests.Observability;

/// <summary>
/// A signal's own OTLP variables (OTEL_EXPORTER_OTLP_TRACES_* / _METRICS_*: endpoint, headers, protocol, timeout),
/// which the exporter registration does not read itself. The published app exporting with them is tested end to end,
/// in Lambda and on Kestrel (ObservabilityTests.A_signal_s_own_settings_*).
/// </summary>
public sealed class OtlpSignalSettingsTests
{
    [Theory]
    [InlineData("TRACES", "https://collector.example.com:4318/custom/traces")]
    [InlineData("METRICS", "http://127.0.0.1:4318/v1/metrics")]
    public void A_signal_s_endpoint_replaces_the_exporter_s_as_given(string signal, string endpoint)
    {
        var configuration = Configuration(($"OTEL_EXPORTER_OTLP_{signal}_ENDPOINT", $" {endpoint} "), ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://other:4318"));
        var options = new OtlpExporterOptions();

        OtlpSignalSettings.Read(configuration, signal).ApplyTo(options);

        Assert.Equal(new Uri(endpoint), options.Endpoint);
    }

    [Theory]
    [InlineData("TRACES")]
    [InlineData("METRICS")]
    public void A_signal_s_headers_protocol_and_timeout_win_over_the_general_ones(string signal)
    {
        var configuration = Configuration(
            ($"OTEL_EXPORTER_OTLP_{signal}_HEADERS", "x-team=abc, authorization=Basic%20dXNlcjpwYXNz=="),
            ($"OTEL_EXPORTER_OTLP_{signal}_PROTOCOL", "http/protobuf"),
            ($"OTEL_EXPORTER_OTLP_{signal}_TIMEOUT", "2500"),
            ("OTEL_EXPORTER_OTLP_HEADERS", "general=1"));
        // As the exporter reads the general variables: the signal's are applied over them.
        var options = new OtlpExporterOptions { Headers = "general=1", Protocol = OtlpExportProtocol.Grpc, TimeoutMilliseconds = 10_000 };

        OtlpSignalSettings.Read(configuration, signal).ApplyTo(options);

        Assert.Equal("x-team=abc, authorization=Basic%20dXNlcjpwYXNz==", options.Headers);
        Assert.Equal(OtlpExportProtocol.HttpProtobuf, options.Protocol);
        Assert.Equal(2500, options.TimeoutMilliseconds);
    }

    [Fact]
    public void Without_them_the_exporter_keeps_its_own_settings()
    {
        var options = new OtlpExporterOptions { Headers = "general=1", Protocol = OtlpExportProtocol.HttpProtobuf, TimeoutMilliseconds = 1234 };
        var endpoint = options.Endpoint;

        OtlpSignalSettings.Read(Configuration(("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", " "), ("OTEL_EXPORTER_OTLP_TRACES_HEADERS", "")), "TRACES").ApplyTo(options);

        Assert.Equal(endpoint, options.Endpoint);
        Assert.Equal("general=1", options.Headers);
        Assert.Equal(OtlpExportProtocol.HttpProtobuf, options.Protocol);
        Assert.Equal(1234, options.TimeoutMilliseconds);
    }

    [Theory]
    [InlineData("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "collector:4318")]
    [InlineData("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "/v1/traces")]
    [InlineData("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "ftp://collector/v1/traces")]
    [InlineData("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/json")]
    [InlineData("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "HTTP")]
    [InlineData("OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", "0")]
    [InlineData("OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", "-5")]
    [InlineData("OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", "10s")]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4317")]
    [InlineData("OTEL_EXPORTER_OTLP_PROTOCOL", "http")]
    [InlineData("OTEL_EXPORTER_OTLP_TIMEOUT", "5000ms")]
    public void A_malformed_value_fails_the_start_naming_the_variable_and_the_value(string key, string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => OtlpSignalSettings.Read(Configuration((key, value)), "TRACES"));

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{value}'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("OTEL_EXPORTER_OTLP_TRACES_HEADERS", "s3cr3t-key")]
    [InlineData("OTEL_EXPORTER_OTLP_TRACES_HEADERS", "x-team=abc,s3cr3t-token")]
    [InlineData("OTEL_EXPORTER_OTLP_TRACES_HEADERS", "=s3cr3t")]
    [InlineData("OTEL_EXPORTER_OTLP_HEADERS", "authorization: s3cr3t")]
    public void Malformed_headers_fail_the_start_naming_the_variable_but_not_its_value(string key, string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => OtlpSignalSettings.Read(Configuration((key, value)), "TRACES"));

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", error.Message, StringComparison.Ordinal);
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(pair => new KeyValuePair<string, string?>(pair.Key, pair.Value))).Build();
}
