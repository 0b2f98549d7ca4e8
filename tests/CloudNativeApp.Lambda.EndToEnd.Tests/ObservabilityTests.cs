using System.Collections.Concurrent;
using System.Net.Sockets;

namespace CloudNativeApp.Lambda.EndToEnd.Tests;

/// <summary>
/// The published (Native AOT) function exports its spans over OTLP/HTTP to a receiver started by the test, before it
/// polls for the next event, and writes one EMF line per invocation to its log.
/// </summary>
[Collection(UsesPublishedApp.Name)]
public sealed class ObservabilityTests(PublishedApp app)
{
    [Fact]
    public async Task Each_invocation_s_spans_reach_the_otlp_receiver_in_its_lambda_trace()
    {
        using var receiver = new OtlpReceiver();
        var environment = AppEnvironment.InMemory();
        environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Endpoint;
        environment["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        environment["OTEL_SERVICE_NAME"] = "cloudnativeapp-e2e";

        // The batch exporter's own schedule (10 minutes here) never fires during the test: spans arrive only through
        // the flush after each invocation.
        environment["OTEL_BSP_SCHEDULE_DELAY"] = "600000";
        await using var function = await app.StartFunctionAsync(environment);

        var traces = Enumerable.Range(0, 3).Select(_ => ActivityTraceId.CreateRandom().ToHexString()).ToList();
        foreach (var traceId in traces)
        {
            var header = $"Root=1-{traceId[..8]}-{traceId[8..]};Parent={ActivitySpanId.CreateRandom().ToHexString()};Sampled=1";
            var outcome = await function.InvokeAsync(new InvocationRequest(new HttpEvent(HttpEventSource.HttpApi, "GET", "/health").ToJson()) { TraceId = header });
            Assert.True(outcome.Succeeded, outcome.ToString());
        }

        foreach (var traceId in traces)
        {
            var spans = await receiver.WaitForSpansAsync(traceId, count: 2);
            Assert.Equal(2, spans.Count);
            // The invocation span continues the X-Ray trace; the request span is its child; both are server spans.
            var invocation = Assert.Single(spans, span => !spans.Any(other => other.SpanId == span.ParentSpanId));
            Assert.Single(spans, span => span.ParentSpanId == invocation.SpanId);
            Assert.All(spans, span => Assert.Equal(2, span.Kind));
        }

        var emf = function.Process.OutputLines.Where(line => line.Contains("\"_aws\"", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, emf.Count);
        Assert.All(emf, line => Assert.Equal("/health", JsonDocument.Parse(line).RootElement.GetProperty("Route").GetString()));
    }

    /// <summary>
    /// An OTLP/HTTP receiver (protobuf, the exporter's format) that keeps each exported span's ids, name and kind:
    /// reads only the few fields of <c>ExportTraceServiceRequest</c> it needs and answers every export with 200.
    /// </summary>
    private sealed class OtlpReceiver : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly ConcurrentQueue<ReceivedSpan> _spans = new();

        public OtlpReceiver()
        {
            var port = FreePort();
            Endpoint = $"http://127.0.0.1:{port}";
            _listener.Prefixes.Add($"{Endpoint}/");
            _listener.Start();
            _ = Task.Run(ServeAsync);
        }

        public string Endpoint { get; }

        public async Task<List<ReceivedSpan>> WaitForSpansAsync(string traceId, int count)
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (true)
            {
                var spans = _spans.Where(span => span.TraceId == traceId).ToList();
                if (spans.Count >= count || DateTime.UtcNow > deadline)
                {
                    return spans;
                }

                await Task.Delay(50);
            }
        }

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
                if (context.Request.Url?.AbsolutePath == "/v1/traces")
                {
                    foreach (var span in ReadSpans(body.ToArray()))
                    {
                        _spans.Enqueue(span);
                    }
                }

                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/x-protobuf";
                context.Response.Close();
            }
        }

        // ExportTraceServiceRequest.resource_spans(1) → ResourceSpans.scope_spans(2) → ScopeSpans.spans(2) → Span.
        private static IEnumerable<ReceivedSpan> ReadSpans(byte[] request) =>
            from resourceSpans in Protobuf.Messages(request, 1)
            from scopeSpans in Protobuf.Messages(resourceSpans, 2)
            from span in Protobuf.Messages(scopeSpans, 2)
            select ReceivedSpan.Read(span);
    }

    private sealed record ReceivedSpan(string TraceId, string SpanId, string ParentSpanId, string Name, int Kind)
    {
        // Span: trace_id(1), span_id(2), parent_span_id(4) bytes; name(5) string; kind(6) enum (2 = SERVER).
        public static ReceivedSpan Read(byte[] span)
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

            return new ReceivedSpan(traceId, spanId, parent, name, kind);
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
