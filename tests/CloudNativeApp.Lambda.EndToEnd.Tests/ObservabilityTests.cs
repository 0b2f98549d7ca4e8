using System.Collections.Concurrent;
using System.Net.Sockets;

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

    [Fact]
    public async Task A_signal_s_own_endpoint_is_used_as_given()
    {
        using var receiver = new OtlpReceiver(tracesPath: "/collector/traces", metricsPath: "/collector/metrics");
        var environment = AppEnvironment.InMemory();
        environment["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = $"{receiver.Endpoint}/collector/traces";
        environment["OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"] = $"{receiver.Endpoint}/collector/metrics";
        environment["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        environment["OTEL_METRIC_EXPORT_INTERVAL"] = "1";
        await using var function = await app.StartFunctionAsync(environment);
        var traceId = ActivityTraceId.CreateRandom().ToHexString();

        await InvokeSampledAsync(function, traceId);
        await WaitForNextPollAsync(function);

        Assert.Equal(2, receiver.SpansOf(traceId).Count);
        Assert.True(receiver.MetricExports > 0, "No metrics were exported to /collector/metrics.");
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

    /// <summary>
    /// An OTLP/HTTP receiver (protobuf, the exporter's format) that keeps each exported span's ids, name and kind:
    /// reads only the few fields of <c>ExportTraceServiceRequest</c> it needs and answers every export with 200.
    /// </summary>
    private sealed class OtlpReceiver : IDisposable
    {
        private readonly string _tracesPath;
        private readonly string _metricsPath;
        private readonly HttpListener _listener = new();
        private readonly ConcurrentQueue<ReceivedSpan> _spans = new();
        private int _metricExports;

        public OtlpReceiver(string tracesPath = "/v1/traces", string metricsPath = "/v1/metrics")
        {
            _tracesPath = tracesPath;
            _metricsPath = metricsPath;
            var port = FreePort();
            Endpoint = $"http://127.0.0.1:{port}";
            _listener.Prefixes.Add($"{Endpoint}/");
            _listener.Start();
            _ = Task.Run(ServeAsync);
        }

        public string Endpoint { get; }

        /// <summary>Export requests received on the metrics path.</summary>
        public int MetricExports => Volatile.Read(ref _metricExports);

        public List<ReceivedSpan> SpansOf(string traceId) => [.. _spans.Where(span => span.TraceId == traceId)];

        public void Dispose() => _listener.Close();

        private static int FreePort()
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            return ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }

                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                // Received before the answer: an exporter that got its answer has its spans here.
                if (context.Request.Url?.AbsolutePath == _tracesPath)
                {
                    foreach (var span in ReadSpans(body.ToArray()))
                    {
                        _spans.Enqueue(span);
                    }
                }
                else if (context.Request.Url?.AbsolutePath == _metricsPath)
                {
                    Interlocked.Increment(ref _metricExports);
                }

                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/x-protobuf";
                context.Response.Close();
            }
        }

        // ExportTraceServiceRequest.resource_spans(1) → ResourceSpans.scope_spans(2) → ScopeSpans.spans(2) → Span;
        // ResourceSpans.resource(1) → Resource.attributes(1) → KeyValue key(1), value(2) → AnyValue.string_value(1).
        private static IEnumerable<ReceivedSpan> ReadSpans(byte[] request) =>
            from resourceSpans in Protobuf.Messages(request, 1)
            let serviceName = ServiceName(resourceSpans)
            from scopeSpans in Protobuf.Messages(resourceSpans, 2)
            from span in Protobuf.Messages(scopeSpans, 2)
            select ReceivedSpan.Read(span, serviceName);

        private static string? ServiceName(byte[] resourceSpans) =>
            (from resource in Protobuf.Messages(resourceSpans, 1)
             from attribute in Protobuf.Messages(resource, 1)
             where Protobuf.Messages(attribute, 1).Select(key => System.Text.Encoding.UTF8.GetString(key)).FirstOrDefault() == "service.name"
             from value in Protobuf.Messages(attribute, 2)
             from text in Protobuf.Messages(value, 1)
             select System.Text.Encoding.UTF8.GetString(text)).FirstOrDefault();
    }

    private sealed record ReceivedSpan(string TraceId, string SpanId, string ParentSpanId, string Name, int Kind, string? ServiceName)
    {
        // Span: trace_id(1), span_id(2), parent_span_id(4) bytes; name(5) string; kind(6) enum (2 = SERVER).
        public static ReceivedSpan Read(byte[] span, string? serviceName)
        {
            string traceId = "", spanId = "", parent = "", name = "";
            var kind = 0;
            foreach (var (field, value, bytes) in Protobuf.Fields(span))
            {
                switch (field)
                {
                    case 1: traceId = Convert.ToHexStringLower(bytes!); break;
                    case 2: spanId = Convert.ToHexStringLower(bytes!); break;
                    case 4: parent = Convert.ToHexStringLower(bytes!); break;
                    case 5: name = System.Text.Encoding.UTF8.GetString(bytes!); break;
                    case 6: kind = (int)value; break;
                }
            }

            return new ReceivedSpan(traceId, spanId, parent, name, kind, serviceName);
        }
    }

    /// <summary>Just enough of the protobuf wire format: varints, length-delimited fields, and skipping fixed ones.</summary>
    private static class Protobuf
    {
        public static IEnumerable<byte[]> Messages(byte[] message, int field) =>
            Fields(message).Where(f => f.Field == field && f.Bytes is not null).Select(f => f.Bytes!);

        public static IEnumerable<(int Field, ulong Value, byte[]? Bytes)> Fields(byte[] message)
        {
            var position = 0;
            while (position < message.Length)
            {
                var key = ReadVarint(message, ref position);
                var field = (int)(key >> 3);
                switch (key & 7)
                {
                    case 0:
                        yield return (field, ReadVarint(message, ref position), null);
                        break;
                    case 1:
                        position += 8;
                        break;
                    case 2:
                        var length = (int)ReadVarint(message, ref position);
                        yield return (field, 0, message[position..(position + length)]);
                        position += length;
                        break;
                    case 5:
                        position += 4;
                        break;
                    default:
                        throw new InvalidDataException($"Unexpected protobuf wire type {key & 7}.");
                }
            }
        }

        private static ulong ReadVarint(byte[] message, ref int position)
        {
            ulong value = 0;
            for (var shift = 0; ; shift += 7)
            {
                var b = message[position++];
                value |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return value;
                }
            }
        }
    }
}
