namespace CloudNativeApp.Lambda.EndToEnd.Tests;

/// <summary>
/// The published (Native AOT) function exports its spans and metrics over OTLP/HTTP to a receiver started by the test,
/// before it polls for the next event, and writes one EMF line per invocation to its log.
/// </summary>
[Collection(UsesPublishedApp.Name)]
public sealed class ObservabilityTests(PublishedApp app)
{
    [Fact]
    public async Task Each_invocation_s_spans_reach_the_otlp_receiver_in_its_lambda_trace_before_the_next_poll()
    {
        using var receiver = new OtlpReceiver();
        var environment = AppEnvironment.InMemory();
        environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Endpoint;
        environment["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        environment["OTEL_SERVICE_NAME"] = "cloudnativeapp-e2e";
        // Metrics at every flush, so they are exported during the test too.
        environment["OTEL_METRIC_EXPORT_INTERVAL"] = "1";
        await using var function = await app.StartFunctionAsync(environment);

        var traces = Enumerable.Range(0, 3).Select(_ => ActivityTraceId.CreateRandom().ToHexString()).ToList();
        foreach (var traceId in traces)
        {
            await InvokeSampledAsync(function, traceId);

            // Lambda may freeze the function as soon as it polls again: by then its spans must have been received.
            await WaitForNextPollAsync(function);
            var spans = receiver.SpansOf(traceId);
            Assert.Equal(2, spans.Count);
            // The invocation span continues the X-Ray trace; the request span is its child; both are server spans.
            var invocation = Assert.Single(spans, span => !spans.Any(other => other.SpanId == span.ParentSpanId));
            Assert.Single(spans, span => span.ParentSpanId == invocation.SpanId);
            Assert.All(spans, span => Assert.Equal(2, span.Kind));
            Assert.All(spans, span => Assert.Equal("cloudnativeapp-e2e", span.ServiceName));
        }

        Assert.True(receiver.MetricExports > 0, "No metrics were exported to /v1/metrics.");

        // The flush exports on its own thread: neither the batch span processor's nor the periodic metric reader's
        // thread (named OpenTelemetry-…) is started in Lambda.
        var threads = Directory.GetDirectories($"/proc/{function.Process.ProcessId}/task")
            .Select(task => File.ReadAllText(Path.Combine(task, "comm")).Trim()).ToList();
        Assert.DoesNotContain(threads, name => name.StartsWith("OpenTelemetry", StringComparison.Ordinal));

        var emf = function.Process.OutputLines.Where(line => line.Contains("\"_aws\"", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, emf.Count);
        Assert.All(emf, line => Assert.Equal("/health", JsonDocument.Parse(line).RootElement.GetProperty("Route").GetString()));
    }

    /// <summary>
    /// Each signal's own OTLP variables only, none of the general ones: its endpoint (used as given), protocol (the
    /// general default, gRPC, would reach nothing here) and headers (as a hosted backend's API key).
    /// </summary>
    [Fact]
    public async Task A_signal_s_own_settings_are_used_in_lambda()
    {
        using var receiver = new OtlpReceiver(tracesPath: "/collector/traces", metricsPath: "/collector/metrics", headerName: "x-api-key");
        var environment = AppEnvironment.InMemory();
        AddSignalSettings(environment, receiver);
        environment["OTEL_METRIC_EXPORT_INTERVAL"] = "1";
        await using var function = await app.StartFunctionAsync(environment);
        var traceId = ActivityTraceId.CreateRandom().ToHexString();

        await InvokeSampledAsync(function, traceId);
        await WaitForNextPollAsync(function);

        Assert.Equal(2, receiver.SpansOf(traceId).Count);
        Assert.True(receiver.MetricExports > 0, "No metrics were exported to /collector/metrics.");
        AssertSignalHeaders(receiver);
    }

    /// <summary>The same on Kestrel, where the SDK's own batch processor and periodic reader export.</summary>
    [Fact]
    public async Task A_signal_s_own_settings_are_used_on_kestrel()
    {
        using var receiver = new OtlpReceiver(tracesPath: "/collector/traces", metricsPath: "/collector/metrics", headerName: "x-api-key");
        var environment = AppEnvironment.InMemory();
        environment["Auth__Mode"] = "None";
        AddSignalSettings(environment, receiver);
        environment["OTEL_BSP_SCHEDULE_DELAY"] = "100";
        environment["OTEL_METRIC_EXPORT_INTERVAL"] = "100";
        await using var kestrel = await KestrelAppProcess.StartAsync(app.Bootstrap, environment);
        using var client = new HttpClient { BaseAddress = kestrel.BaseAddress, Timeout = PublishedFunction.Patience };
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health");
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");

        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var deadline = DateTime.UtcNow + PublishedFunction.Patience;
        while (receiver.SpansOf(traceId).Count == 0 || receiver.MetricExports == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Nothing exported to the signals' endpoints. Output:\n{kestrel.Output}");
            await Task.Delay(50);
        }

        AssertSignalHeaders(receiver);
    }

    private static void AddSignalSettings(Dictionary<string, string?> environment, OtlpReceiver receiver)
    {
        foreach (var (signal, path) in (ReadOnlySpan<(string, string)>)[("TRACES", "/collector/traces"), ("METRICS", "/collector/metrics")])
        {
            environment[$"OTEL_EXPORTER_OTLP_{signal}_ENDPOINT"] = $"{receiver.Endpoint}{path}";
            environment[$"OTEL_EXPORTER_OTLP_{signal}_PROTOCOL"] = "http/protobuf";
            environment[$"OTEL_EXPORTER_OTLP_{signal}_HEADERS"] = $"x-api-key={signal.ToLowerInvariant()}%20key";
        }
    }

    private static void AssertSignalHeaders(OtlpReceiver receiver)
    {
        Assert.All(receiver.HeaderValues("/collector/traces"), value => Assert.Equal("traces key", value));
        Assert.All(receiver.HeaderValues("/collector/metrics"), value => Assert.Equal("metrics key", value));
        Assert.NotEmpty(receiver.HeaderValues("/collector/traces"));
        Assert.NotEmpty(receiver.HeaderValues("/collector/metrics"));
    }

    private static async Task InvokeSampledAsync(PublishedFunction function, string traceId)
    {
        var header = $"Root=1-{traceId[..8]}-{traceId[8..]};Parent={ActivitySpanId.CreateRandom().ToHexString()};Sampled=1";
        var outcome = await function.InvokeAsync(new InvocationRequest(new HttpEvent(HttpEventSource.HttpApi, "GET", "/health").ToJson()) { TraceId = header });
        Assert.True(outcome.Succeeded, outcome.ToString());
    }

    private static async Task WaitForNextPollAsync(PublishedFunction function)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (function.Api.WaitingForNext == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"The function did not poll for the next event. Output:\n{function.Process.Output}");
            await Task.Delay(5);
        }
    }
}
