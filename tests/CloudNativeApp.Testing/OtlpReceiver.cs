using System.Collections.Concurrent;
using System.Net.Sockets;

namespace CloudNativeApp.Testing;

/// <summary>
/// An OTLP/HTTP receiver on a free loopback port that answers every export with 200, as a collector on the same host
/// would, and counts the exports to each signal's path. With <c>keepSpans</c> it keeps each exported span's ids, name,
/// kind and service name (protobuf, the exporter's format: it reads only the few fields of
/// <c>ExportTraceServiceRequest</c> it needs); a benchmark leaves that work out.
/// </summary>
public sealed class OtlpReceiver : IDisposable
{
    private readonly bool _keepSpans;
    private readonly string _tracesPath;
    private readonly string _metricsPath;
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<ReceivedSpan> _spans = new();
    private readonly ConcurrentQueue<(string Path, string? Header)> _headers = new();
    private readonly string? _headerName;
    private int _metricExports;
    private long _exports;

    /// <param name="headerName">A request header whose value it keeps for each export (<see cref="HeaderValues"/>).</param>
    public OtlpReceiver(bool keepSpans = true, string tracesPath = "/v1/traces", string metricsPath = "/v1/metrics", string? headerName = null)
    {
        _keepSpans = keepSpans;
        _headerName = headerName;
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

    /// <summary>Export requests received on any path.</summary>
    public long Exports => Interlocked.Read(ref _exports);

    public List<ReceivedSpan> SpansOf(string traceId) => [.. _spans.Where(span => span.TraceId == traceId)];

    /// <summary>The values of the header named at construction that the exports to <paramref name="path"/> carried.</summary>
    public List<string?> HeaderValues(string path) => [.. _headers.Where(export => export.Path == path).Select(export => export.Header)];

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
            var path = context.Request.Url?.AbsolutePath ?? "";
            if (_headerName is not null)
            {
                _headers.Enqueue((path, context.Request.Headers[_headerName]));
            }

            Interlocked.Increment(ref _exports);
            if (_keepSpans && path == _tracesPath)
            {
                foreach (var span in ReadSpans(body.ToArray()))
                {
                    _spans.Enqueue(span);
                }
            }
            else if (path == _metricsPath)
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

public sealed record ReceivedSpan(string TraceId, string SpanId, string ParentSpanId, string Name, int Kind, string? ServiceName)
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
internal static class Protobuf
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
