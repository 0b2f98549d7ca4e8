using Microsoft.Extensions.Configuration;
using OpenTelemetry.Exporter;

namespace CloudNativeApp.Tests.Observability;

/// <summary>
/// A signal's own OTLP endpoint (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT / _METRICS_ENDPOINT), which the exporter
/// registration does not read itself. The published app exporting to such endpoints is tested end to end
/// (ObservabilityTests.A_signal_s_own_endpoint_is_used_as_given).
/// </summary>
public sealed class OtlpSignalEndpointTests
{
    [Theory]
    [InlineData("TRACES", "https://collector.example.com:4318/custom/traces")]
    [InlineData("METRICS", "http://127.0.0.1:4318/v1/metrics")]
    public void A_signal_s_endpoint_replaces_the_exporter_s_as_given(string signal, string endpoint)
    {
        var configuration = Configuration(($"OTEL_EXPORTER_OTLP_{signal}_ENDPOINT", $" {endpoint} "), ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://other:4318"));
        var options = new OtlpExporterOptions();

        OtlpExport.UseSignalEndpoint(options, OtlpExport.SignalEndpoint(configuration, signal));

        Assert.Equal(new Uri(endpoint), options.Endpoint);
    }

    [Fact]
    public void Without_one_the_exporter_keeps_its_own_endpoint()
    {
        var options = new OtlpExporterOptions();
        var before = options.Endpoint;

        OtlpExport.UseSignalEndpoint(options, OtlpExport.SignalEndpoint(Configuration(("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", " ")), "TRACES"));

        Assert.Equal(before, options.Endpoint);
    }

    [Theory]
    [InlineData("collector:4318")]
    [InlineData("/v1/traces")]
    [InlineData("ftp://collector/v1/traces")]
    public void A_malformed_one_fails_the_start_naming_the_variable(string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => OtlpExport.SignalEndpoint(Configuration(("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", value)), "TRACES"));

        Assert.Contains("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", error.Message, StringComparison.Ordinal);
        Assert.Contains(value, error.Message, StringComparison.Ordinal);
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(pair => new KeyValuePair<string, string?>(pair.Key, pair.Value))).Build();
}
