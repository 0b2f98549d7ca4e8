namespace CloudNativeApp.Observability;

/// <summary>
/// One invocation's measurements, in the order they came, and its request dimensions (route and status). Measurements
/// can come from several threads of the invocation at once (concurrent DynamoDB calls), so adding takes a lock.
/// </summary>
internal sealed class EmfInvocation
{
    private Measurement[] _measurements = new Measurement[4];
    private int _count;

    public int Count => Volatile.Read(ref _count);

    /// <summary>The route of the invocation's request ("unmatched" when no endpoint matched), once it was measured.</summary>
    public string? Route { get; private set; }

    /// <summary>The status of the invocation's request ("none" when it was not answered), once it was measured.</summary>
    public string? StatusCode { get; private set; }

    public void Add(EmfInstrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string? route = null, status = null, nameTag = null;
        foreach (var (key, tagValue) in tags)
        {
            switch (key)
            {
                case "http.route": route = tagValue as string ?? tagValue?.ToString(); break;
                case "http.response.status_code": status = StatusText(tagValue); break;
                default:
                    if (key == instrument.NameTag)
                    {
                        nameTag = tagValue as string ?? tagValue?.ToString();
                    }

                    break;
            }
        }

        var name = instrument.NameFor(nameTag);
        lock (this)
        {
            if (instrument.HasRequestDimensions)
            {
                Route = route ?? "unmatched";
                StatusCode = status ?? "none";
            }

            if (_count == _measurements.Length)
            {
                Array.Resize(ref _measurements, _count * 2);
            }

            _measurements[_count] = new Measurement(name, instrument, value);
            Volatile.Write(ref _count, _count + 1);
        }
    }

    /// <summary>What was measured; read once the invocation is over (no more adds of its own).</summary>
    public ReadOnlySpan<Measurement> Measurements
    {
        get
        {
            lock (this)
            {
                return _measurements.AsSpan(0, _count);
            }
        }
    }

    // Status codes as text without a new string per request (int.ToString caches only numbers below 300).
    private static readonly string?[] StatusTexts = new string?[600];

    private static string? StatusText(object? value)
    {
        if (value is int code and >= 0 and < 600)
        {
            return StatusTexts[code] ??= code.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return value?.ToString();
    }

    internal readonly record struct Measurement(string Name, EmfInstrument Instrument, double Value);
}
