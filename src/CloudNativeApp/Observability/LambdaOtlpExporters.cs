using System.Diagnostics;
using System.Runtime.CompilerServices;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace CloudNativeApp.Observability;

/// <summary>
/// The OTLP exporters as Lambda uses them: nothing exports between an invocation's start and its response, only
/// <see cref="LambdaTelemetryFlush"/> on its own thread after the response is posted. So no exporter thread is started
/// (the batch processor's and the periodic reader's threads would idle in a frozen environment anyway), and the
/// exporters themselves are built at the first flush: their setup and allocations leave the cold start, whose first
/// invocation otherwise pays a Server GC collection for them. Their options are <c>new OtlpExporterOptions()</c>'s: the
/// variables AddOtlpExporter reads (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, <c>_PROTOCOL</c>, <c>_HEADERS</c>,
/// <c>_TIMEOUT</c>), read from the environment, where Lambda's configuration is; and the signal's own, as on Kestrel
/// (<see cref="OtlpSignalSettings"/>).
/// </summary>
internal static class LambdaOtlpExporters
{
    public static TracerProviderBuilder AddFlushedOtlpExporter(this TracerProviderBuilder tracing, IConfiguration configuration, OtlpSignalSettings signal) =>
        tracing.AddProcessor(new FlushedActivityExportProcessor(
            new DeferredExporter<Activity>(() => new OtlpTraceExporter(Options(signal))),
            PositiveInt(configuration, "OTEL_BSP_MAX_QUEUE_SIZE", 2048),
            PositiveInt(configuration, "OTEL_BSP_MAX_EXPORT_BATCH_SIZE", 512)));

    public static MeterProviderBuilder AddFlushedOtlpExporter(this MeterProviderBuilder metrics, IConfiguration configuration, OtlpSignalSettings signal)
    {
        // A reader without a schedule: it collects and exports when the meter provider is flushed (or shut down).
        var reader = new BaseExportingMetricReader(new DeferredExporter<Metric>(() => new OtlpMetricExporter(Options(signal))));

        // The reader setting AddOtlpExporter takes from the OTLP metrics variables.
        if (Enum.TryParse<MetricReaderTemporalityPreference>(configuration["OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE"]?.Trim(), ignoreCase: true, out var temporality))
        {
            reader.TemporalityPreference = temporality;
        }

        return metrics.AddReader(reader);
    }

    private static OtlpExporterOptions Options(OtlpSignalSettings signal)
    {
        var options = new OtlpExporterOptions();
        signal.ApplyTo(options);
        return options;
    }

    private static int PositiveInt(IConfiguration configuration, string key, int fallback) =>
        int.TryParse(configuration[key], out var value) && value > 0 ? value : fallback;
}

/// <summary>
/// Keeps the recorded spans that end until the provider is flushed, then exports them on the flushing thread in
/// batches of at most <c>OTEL_BSP_MAX_EXPORT_BATCH_SIZE</c>; beyond <c>OTEL_BSP_MAX_QUEUE_SIZE</c> waiting spans new ones
/// are dropped, as the batch processor drops them.
/// </summary>
internal sealed class FlushedActivityExportProcessor(BaseExporter<Activity> exporter, int maxQueueSize, int maxExportBatchSize)
    : BaseExportProcessor<Activity>(exporter)
{
    private readonly Lock _lock = new();

    // Exporters are not called concurrently (the OTLP exporter serialises every batch into one shared buffer), and
    // under Managed Instances several workers flush at once: one exports at a time, and a flush returns only when the
    // spans queued before it were sent, also when another worker took them.
    private readonly Lock _exportLock = new();
    private List<Activity> _ended = [];

    protected override void OnExport(Activity data)
    {
        if (!data.Recorded)
        {
            return;
        }

        lock (_lock)
        {
            if (_ended.Count < maxQueueSize)
            {
                _ended.Add(data);
            }
        }
    }

    protected override bool OnForceFlush(int timeoutMilliseconds) =>
        ExportEnded(timeoutMilliseconds) && base.OnForceFlush(timeoutMilliseconds);

    protected override bool OnShutdown(int timeoutMilliseconds) =>
        ExportEnded(timeoutMilliseconds) & base.OnShutdown(timeoutMilliseconds);

    /// <summary>
    /// Exports what is queued, batch by batch, until <paramref name="timeoutMilliseconds"/> (waiting for another
    /// worker's export included) is spent; the batches not started by then go back to the queue for the next flush, so a
    /// slow collector holds up the next <c>/next</c> by about the flush's bound (plus one export's own timeout) rather
    /// than by every batch's.
    /// </summary>
    private bool ExportEnded(int timeoutMilliseconds)
    {
        var started = Stopwatch.GetTimestamp();
        lock (_exportLock)
        {
            List<Activity> ended;
            lock (_lock)
            {
                if (_ended.Count == 0)
                {
                    return true;
                }

                ended = _ended;
                _ended = [];
            }

            var exported = true;
            var spans = ended.ToArray();
            for (var start = 0; start < spans.Length; start += maxExportBatchSize)
            {
                if (timeoutMilliseconds != Timeout.Infinite && Stopwatch.GetElapsedTime(started).TotalMilliseconds >= timeoutMilliseconds)
                {
                    Requeue(spans[start..]);
                    return false;
                }

                var count = Math.Min(maxExportBatchSize, spans.Length - start);
                exported &= exporter.Export(new Batch<Activity>(spans[start..(start + count)], count)) == ExportResult.Success;
            }

            return exported;
        }
    }

    // Ahead of what ended meanwhile (they are older), within the queue's size.
    private void Requeue(Activity[] unsent)
    {
        lock (_lock)
        {
            _ended = [.. unsent.Concat(_ended).Take(maxQueueSize)];
        }
    }
}

/// <summary>
/// An exporter built on its first use. The SDK hands the resource (service name, attributes) to the exporter it was
/// given, this one; the built exporter gets the same provider, as it would had the SDK been given it.
/// </summary>
internal sealed class DeferredExporter<T>(Func<BaseExporter<T>> create) : BaseExporter<T>
    where T : class
{
    private readonly Lock _lock = new();
    private BaseExporter<T>? _inner;

    /// <summary>Whether the exporter has been built (for tests: not before the first flush).</summary>
    public bool IsBuilt => Volatile.Read(ref _inner) is not null;

    public override ExportResult Export(in Batch<T> batch) => Inner().Export(batch);

    protected override bool OnForceFlush(int timeoutMilliseconds) =>
        Volatile.Read(ref _inner)?.ForceFlush(timeoutMilliseconds) ?? true;

    protected override bool OnShutdown(int timeoutMilliseconds) =>
        Volatile.Read(ref _inner)?.Shutdown(timeoutMilliseconds) ?? true;

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Volatile.Read(ref _inner)?.Dispose();
        }

        base.Dispose(disposing);
    }

    private BaseExporter<T> Inner()
    {
        if (Volatile.Read(ref _inner) is { } built)
        {
            return built;
        }

        lock (_lock)
        {
            if (_inner is null)
            {
                var inner = create();
                SetParentProvider(inner, ParentProvider);
                Volatile.Write(ref _inner, inner);
            }

            return _inner;
        }
    }

    // BaseExporter<T>.ParentProvider's setter is internal to the SDK, which sets it on the exporters it is given.
    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "set_ParentProvider")]
    private static extern void SetParentProvider(BaseExporter<T> exporter, BaseProvider? provider);
}
