using System.Buffers;
using System.Text.Json;

namespace CloudNativeApp.Observability;

/// <summary>
/// Writes an invocation's EMF line: the <c>_aws</c> metadata (one directive for the metrics without dimensions, one
/// for those with the request's route and status), the dimension values and every metric's value or values, then a
/// newline, in one write. The line is made in a buffer that belongs to the writing thread and is kept for its next
/// line: writing is synchronous from start to end, so invocations running at the same time on other threads never
/// share one. The <c>CloudWatchMetrics</c> directives depend only on which metrics the invocation has, in order, and
/// most invocations of a function have the same ones (<c>RequestDuration</c> alone), so the thread also keeps the
/// directives it wrote last and copies them when the next line has the same metrics.
/// </summary>
internal sealed class EmfLineWriter : IDisposable
{
    // A line above this (hundreds of DynamoDB calls in one request) does not keep its buffer for the thread's next one.
    private const int RetainedCapacity = 16 * 1024;

    private static readonly JsonEncodedText Aws = JsonEncodedText.Encode("_aws");
    private static readonly JsonEncodedText Timestamp = JsonEncodedText.Encode("Timestamp");
    private static readonly JsonEncodedText CloudWatchMetrics = JsonEncodedText.Encode("CloudWatchMetrics");
    private static readonly JsonEncodedText NamespaceName = JsonEncodedText.Encode("Namespace");
    private static readonly JsonEncodedText NamespaceValue = JsonEncodedText.Encode(EmfMetrics.Namespace);
    private static readonly JsonEncodedText Dimensions = JsonEncodedText.Encode("Dimensions");
    private static readonly JsonEncodedText Metrics = JsonEncodedText.Encode("Metrics");
    private static readonly JsonEncodedText Name = JsonEncodedText.Encode("Name");
    private static readonly JsonEncodedText Unit = JsonEncodedText.Encode("Unit");
    private static readonly JsonEncodedText FunctionName = JsonEncodedText.Encode("FunctionName");
    private static readonly JsonEncodedText RequestId = JsonEncodedText.Encode("RequestId");
    private static readonly JsonEncodedText Route = JsonEncodedText.Encode("Route");
    private static readonly JsonEncodedText StatusCode = JsonEncodedText.Encode("StatusCode");

    /// <summary>EMF's limit on the values of one metric in one document.</summary>
    internal const int MaxValuesPerMetric = 100;

    private static readonly Lock OutputGate = new();

    [ThreadStatic]
    private static EmfLineWriter? _threadWriter;

    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private readonly Utf8JsonWriter _json;
    private readonly List<string> _directiveMetrics = [];
    private byte[] _directives = [];

    // The function name, and usually the route and status too, are those of the thread's previous line: encoded once.
    private EncodedValue _functionName;
    private EncodedValue _route;
    private EncodedValue _statusCode;

    private EmfLineWriter() => _json = new Utf8JsonWriter(_buffer, new JsonWriterOptions { SkipValidation = true });

    public static void Write(Stream output, EmfInvocation invocation, string functionName, string requestId, DateTimeOffset now)
    {
        var writer = _threadWriter ?? new EmfLineWriter();
        _threadWriter = null; // Not reused by a write that the output stream itself might start on this thread.
        writer.WriteLine(invocation, functionName, requestId, now);
        // A pipe write is atomic only up to PIPE_BUF (4 KB on Linux): a longer line (many DynamoDB durations) written by
        // two concurrent invocations could interleave, so lines go out one at a time.
        lock (OutputGate)
        {
            output.Write(writer._buffer.WrittenSpan);
        }

        if (writer._buffer.Capacity <= RetainedCapacity)
        {
            _threadWriter = writer;
        }
        else
        {
            writer.Dispose();
        }
    }

    public void Dispose() => _json.Dispose();

    private void WriteLine(EmfInvocation invocation, string functionName, string requestId, DateTimeOffset now)
    {
        _buffer.ResetWrittenCount();
        _json.Reset();
        var measurements = invocation.Measurements;
        _json.WriteStartObject();
        _json.WriteStartObject(Aws);
        _json.WriteNumber(Timestamp, now.ToUnixTimeMilliseconds());
        _json.WritePropertyName(CloudWatchMetrics);
        if (HasDirectiveMetrics(measurements))
        {
            _json.WriteRawValue(_directives, skipInputValidation: true);
        }
        else
        {
            WriteDirectives(measurements);
        }

        _json.WriteEndObject();
        _json.WriteString(FunctionName, _functionName.For(functionName));
        _json.WriteString(RequestId, requestId);
        // EmfInvocation sets the two together, defaults included.
        if (invocation is { Route: { } route, StatusCode: { } status })
        {
            _json.WriteString(Route, _route.For(route));
            _json.WriteString(StatusCode, _statusCode.For(status));
        }

        for (var i = 0; i < measurements.Length; i++)
        {
            if (IsFirstOfItsName(measurements, i))
            {
                WriteValues(measurements, i);
            }
        }

        _json.WriteEndObject();
        _json.Flush();
        _buffer.GetSpan(1)[0] = (byte)'\n';
        _buffer.Advance(1);
    }

    private void WriteDirectives(ReadOnlySpan<EmfInvocation.Measurement> measurements)
    {
        _json.Flush();
        var start = _buffer.WrittenCount;
        _json.WriteStartArray();
        WriteDirective(measurements, withDimensions: false);
        WriteDirective(measurements, withDimensions: true);
        _json.WriteEndArray();
        _json.Flush();
        _directives = _buffer.WrittenSpan[start..].ToArray();
        _directiveMetrics.Clear();
        for (var i = 0; i < measurements.Length; i++)
        {
            if (IsFirstOfItsName(measurements, i))
            {
                _directiveMetrics.Add(measurements[i].Name);
            }
        }
    }

    /// <summary>Whether the invocation's metrics are those of the kept directives, in the same order.</summary>
    private bool HasDirectiveMetrics(ReadOnlySpan<EmfInvocation.Measurement> measurements)
    {
        var matched = 0;
        for (var i = 0; i < measurements.Length; i++)
        {
            if (!IsFirstOfItsName(measurements, i))
            {
                continue;
            }

            if (matched == _directiveMetrics.Count || !string.Equals(_directiveMetrics[matched], measurements[i].Name, StringComparison.Ordinal))
            {
                return false;
            }

            matched++;
        }

        return matched == _directiveMetrics.Count && matched > 0;
    }

    private void WriteDirective(ReadOnlySpan<EmfInvocation.Measurement> measurements, bool withDimensions)
    {
        var started = false;
        for (var i = 0; i < measurements.Length; i++)
        {
            var instrument = measurements[i].Instrument;
            if (instrument.HasRequestDimensions != withDimensions || !IsFirstOfItsName(measurements, i))
            {
                continue;
            }

            if (!started)
            {
                started = true;
                _json.WriteStartObject();
                _json.WriteString(NamespaceName, NamespaceValue);
                _json.WriteStartArray(Dimensions);
                _json.WriteStartArray();
                _json.WriteStringValue(FunctionName);
                if (withDimensions)
                {
                    _json.WriteStringValue(Route);
                    _json.WriteStringValue(StatusCode);
                }

                _json.WriteEndArray();
                _json.WriteEndArray();
                _json.WriteStartArray(Metrics);
            }

            _json.WriteStartObject();
            _json.WriteString(Name, measurements[i].Name);
            _json.WriteString(Unit, instrument.EncodedUnit);
            _json.WriteEndObject();
        }

        if (started)
        {
            _json.WriteEndArray();
            _json.WriteEndObject();
        }
    }

    /// <summary>
    /// A metric's value (a count's sum, a single duration) or its values (several durations). EMF takes at most 100
    /// values per metric (a longer array makes CloudWatch drop the document's metrics): more (an export that reads over
    /// 100 pages) become 100 evenly spaced order statistics, the smallest and largest included, so percentiles and the
    /// average stay close; the sample count is then 100.
    /// </summary>
    private void WriteValues(ReadOnlySpan<EmfInvocation.Measurement> measurements, int first)
    {
        const int OnStack = 32;
        var name = measurements[first].Name;
        var most = measurements.Length - first;
        var rented = most > OnStack ? ArrayPool<double>.Shared.Rent(most) : null;
        try
        {
            var all = rented ?? stackalloc double[OnStack];
            var count = 0;
            for (var i = first; i < measurements.Length; i++)
            {
                if (string.Equals(measurements[i].Name, name, StringComparison.Ordinal))
                {
                    all[count++] = measurements[i].Value;
                }
            }

            var values = all[..count];
            if (measurements[first].Instrument.Unit == EmfUnit.Count || count == 1)
            {
                var sum = 0.0;
                foreach (var value in values)
                {
                    sum += value;
                }

                _json.WritePropertyName(name);
                WriteNumber(sum);
                return;
            }

            _json.WriteStartArray(name);
            if (count <= MaxValuesPerMetric)
            {
                foreach (var value in values)
                {
                    WriteNumber(value);
                }
            }
            else
            {
                values.Sort();
                for (var k = 0; k < MaxValuesPerMetric; k++)
                {
                    WriteNumber(values[(int)Math.Round(k * (count - 1) / (double)(MaxValuesPerMetric - 1))]);
                }
            }

            _json.WriteEndArray();
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<double>.Shared.Return(rented);
            }
        }
    }

    private void WriteNumber(double value)
    {
        Span<byte> text = stackalloc byte[EmfNumber.MaxLength];
        if (EmfNumber.TryFormat(value, text, out var written))
        {
            _json.WriteRawValue(text[..written], skipInputValidation: true);
        }
        else
        {
            _json.WriteNumberValue(value);
        }
    }

    /// <summary>A string value and its JSON encoding, kept while the next line has the same value.</summary>
    private struct EncodedValue
    {
        private string? _value;
        private JsonEncodedText _encoded;

        public JsonEncodedText For(string value)
        {
            if (!string.Equals(_value, value, StringComparison.Ordinal))
            {
                _encoded = JsonEncodedText.Encode(value);
                _value = value;
            }

            return _encoded;
        }
    }

    private static bool IsFirstOfItsName(ReadOnlySpan<EmfInvocation.Measurement> measurements, int index)
    {
        for (var i = 0; i < index; i++)
        {
            if (string.Equals(measurements[i].Name, measurements[index].Name, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
