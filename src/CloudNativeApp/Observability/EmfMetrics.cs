using System.Diagnostics.Metrics;
using System.Text.Json;
using CloudNativeApp.Items.Storage;
using CloudNativeApp.LambdaHosting;

namespace CloudNativeApp.Observability;

/// <summary>
/// CloudWatch metrics without a collector: at the end of each Lambda invocation, one Embedded Metric Format line on
/// stdout (Lambda's log) with what that invocation measured, none when it measured nothing. Listens with a
/// <see cref="MeterListener"/> to a fixed set of instruments rather than running the OpenTelemetry SDK: the default
/// Lambda path then starts no SDK (cold start), and each invocation's own measurements are kept apart, exact, by an
/// async-local, also when invocations run concurrently.
/// <para>
/// One EMF object can hold one value per dimension, so dimensions are what is single-valued per invocation (route and
/// status of its one request); DynamoDB durations are named per operation (<c>DynamoDb.GetItem</c>), since one
/// request may make several kinds of call. Durations are written in milliseconds, every value of the invocation
/// (an array when there are several); counts as their sum.
/// </para>
/// </summary>
internal sealed class EmfMetrics : ILambdaInvocationObserver, IDisposable
{
    public const string Namespace = "CloudNativeApp";

    private static readonly EmfInstrument[] Instruments =
    [
        new("Microsoft.AspNetCore.Hosting", "http.server.request.duration", "RequestDuration", "Milliseconds", 1000, ["Route", "StatusCode"]),
        new(ItemStoreTelemetry.SourceName, "db.client.operation.duration", "DynamoDb", "Milliseconds", 1000, []) { NameTag = "db.operation.name" },
        new(ItemStoreTelemetry.SourceName, "items.store.outages", "StoreOutages", "Count", 1, []),
        new(ItemStoreTelemetry.SourceName, "items.idempotent_replays", "IdempotentReplays", "Count", 1, []),
        new(LambdaTelemetry.SourceName, "faas.coldstarts", "ColdStarts", "Count", 1, []),
    ];

    // Per instance, not static: two hosts in one process (tests) must not see each other's invocations.
    private readonly AsyncLocal<InvocationMeasurements?> _current = new();
    private readonly MeterListener _listener = new();
    private readonly Stream _output;
    private readonly TimeProvider _time;

    public EmfMetrics(EmfOutput output, TimeProvider time)
    {
        _output = output.Stream;
        _time = time;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (Array.Find(Instruments, i => i.Meter == instrument.Meter.Name && i.Name == instrument.Name) is { } emf)
            {
                listener.EnableMeasurementEvents(instrument, emf);
            }
        };
        _listener.SetMeasurementEventCallback<double>((_, value, tags, state) => Record(state, value, tags));
        _listener.SetMeasurementEventCallback<long>((_, value, tags, state) => Record(state, value, tags));
        _listener.Start();
    }

    public void InvocationStarting(ILambdaContext context) => _current.Value = new InvocationMeasurements();

    public Task InvocationCompletedAsync(ILambdaContext context)
    {
        if (_current.Value is { Count: > 0 } measurements)
        {
            _current.Value = null;

            // Synchronously, in one write: stdout's stream has no async I/O of its own (WriteAsync would hop to the
            // thread pool), and a pipe write of one line is not split between writers.
            _output.Write(measurements.ToEmf(string.IsNullOrEmpty(context.FunctionName) ? "local" : context.FunctionName, context.AwsRequestId, _time.GetUtcNow()));
        }

        return Task.CompletedTask;
    }

    public void Dispose() => _listener.Dispose();

    private void Record(object? state, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (_current.Value is { } measurements && state is EmfInstrument instrument)
        {
            measurements.Add(instrument, value * instrument.Scale, tags);
        }
    }

    /// <summary>An instrument written to EMF: its metric name (suffixed with a tag's value when <see cref="NameTag"/>), unit and dimensions.</summary>
    private sealed record EmfInstrument(string Meter, string Name, string MetricName, string Unit, double Scale, string[] Dimensions)
    {
        public string? NameTag { get; init; }
    }

    /// <summary>One invocation's values by metric, and its dimension values.</summary>
    private sealed class InvocationMeasurements
    {
        private readonly Lock _gate = new();
        private readonly Dictionary<string, (EmfInstrument Instrument, List<double> Values)> _metrics = [];
        private readonly Dictionary<string, string> _dimensions = [];

        public int Count => _metrics.Count;

        public void Add(EmfInstrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var name = instrument.MetricName;
            string? route = null, status = null, nameTag = null;
            foreach (var (key, tagValue) in tags)
            {
                switch (key)
                {
                    case "http.route": route = tagValue?.ToString(); break;
                    case "http.response.status_code": status = tagValue?.ToString(); break;
                    default:
                        if (key == instrument.NameTag)
                        {
                            nameTag = tagValue?.ToString();
                        }

                        break;
                }
            }

            if (nameTag is not null)
            {
                name = $"{name}.{nameTag}";
            }

            lock (_gate)
            {
                if (instrument.Dimensions.Length > 0)
                {
                    // A request that matched no endpoint has no route; an unanswered one no status.
                    _dimensions["Route"] = route ?? "unmatched";
                    _dimensions["StatusCode"] = status ?? "none";
                }

                if (!_metrics.TryGetValue(name, out var entry))
                {
                    entry = (instrument, []);
                    _metrics[name] = entry;
                }

                entry.Values.Add(value);
            }
        }

        public byte[] ToEmf(string functionName, string requestId, DateTimeOffset now)
        {
            using var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartObject();
                json.WriteStartObject("_aws");
                json.WriteNumber("Timestamp", now.ToUnixTimeMilliseconds());
                json.WriteStartArray("CloudWatchMetrics");
                WriteDirective(json, withDimensions: false);
                WriteDirective(json, withDimensions: true);
                json.WriteEndArray();
                json.WriteEndObject();
                json.WriteString("FunctionName", functionName);
                json.WriteString("RequestId", requestId);
                foreach (var (key, value) in _dimensions)
                {
                    json.WriteString(key, value);
                }

                foreach (var (name, (instrument, values)) in _metrics)
                {
                    if (instrument.Unit == "Count" || values.Count == 1)
                    {
                        json.WriteNumber(name, instrument.Unit == "Count" ? values.Sum() : values[0]);
                    }
                    else
                    {
                        json.WriteStartArray(name);
                        values.ForEach(json.WriteNumberValue);
                        json.WriteEndArray();
                    }
                }

                json.WriteEndObject();
            }

            buffer.WriteByte((byte)'\n');
            return buffer.ToArray();
        }

        private void WriteDirective(Utf8JsonWriter json, bool withDimensions)
        {
            var metrics = _metrics.Where(pair => pair.Value.Instrument.Dimensions.Length > 0 == withDimensions).ToList();
            if (metrics.Count == 0)
            {
                return;
            }

            json.WriteStartObject();
            json.WriteString("Namespace", Namespace);
            json.WriteStartArray("Dimensions");
            json.WriteStartArray();
            json.WriteStringValue("FunctionName");
            foreach (var dimension in withDimensions ? metrics[0].Value.Instrument.Dimensions : [])
            {
                json.WriteStringValue(dimension);
            }

            json.WriteEndArray();
            json.WriteEndArray();
            json.WriteStartArray("Metrics");
            foreach (var (name, (instrument, _)) in metrics)
            {
                json.WriteStartObject();
                json.WriteString("Name", name);
                json.WriteString("Unit", instrument.Unit);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }
    }
}

/// <summary>Where EMF lines go: Lambda's stdout, which CloudWatch Logs reads; a test swaps in a buffer.</summary>
internal sealed class EmfOutput(Stream stream)
{
    public Stream Stream { get; } = stream;
}
