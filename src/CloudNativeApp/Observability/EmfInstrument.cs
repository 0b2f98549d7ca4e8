using System.Collections.Concurrent;
using System.Text.Json;

namespace CloudNativeApp.Observability;

internal enum EmfUnit
{
    Milliseconds,
    Count,
}

/// <summary>
/// An instrument written to EMF: its metric name (suffixed with a tag's value when <see cref="NameTag"/> is set), unit,
/// the factor from its unit to the EMF unit, and whether its values carry the request's dimensions (route, status).
/// </summary>
internal sealed class EmfInstrument(string meter, string name, string metricName, EmfUnit unit, double scale, bool hasRequestDimensions = false, string? nameTag = null)
{
    // Metric names by tag value (DynamoDB operations: a handful), so a measurement does not build its name again; a
    // bound in case a tag had unexpected values.
    private const int MaxCachedNames = 64;

    private readonly ConcurrentDictionary<string, string> _namesByTag = new(StringComparer.Ordinal);

    public string Meter { get; } = meter;

    public string Name { get; } = name;

    public string MetricName { get; } = metricName;

    public EmfUnit Unit { get; } = unit;

    public JsonEncodedText EncodedUnit { get; } = JsonEncodedText.Encode(unit == EmfUnit.Count ? "Count" : "Milliseconds");

    public double Scale { get; } = scale;

    public bool HasRequestDimensions { get; } = hasRequestDimensions;

    public string? NameTag { get; } = nameTag;

    public string NameFor(string? tagValue)
    {
        if (tagValue is null)
        {
            return MetricName;
        }

        if (_namesByTag.TryGetValue(tagValue, out var name))
        {
            return name;
        }

        name = $"{MetricName}.{tagValue}";
        if (_namesByTag.Count < MaxCachedNames)
        {
            _namesByTag.TryAdd(tagValue, name);
        }

        return name;
    }
}
