using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using CloudNativeApp.Observability;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Metric = OpenTelemetry.Metrics.Metric;

namespace CloudNativeApp.Tests.Observability;

/// <summary>
/// Lambda's exporter pipeline in a real SDK provider: spans wait for the flush and leave on the flushing thread, and the
/// exporters are built at their first export, with the provider's resource.
/// </summary>
[Collection(nameof(TelemetryListeners))]
public sealed class LambdaOtlpExportersTests
{
    [Fact]
    public void Ended_spans_wait_for_the_flush_and_are_exported_on_the_flushing_thread_in_batches_with_the_resource()
    {
        using var source = new ActivitySource($"test-{Guid.NewGuid():N}");
        var exporter = new RecordingExporter<Activity>();
        var deferred = new DeferredExporter<Activity>(() => exporter);
        using var provider = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService("flushed-service"))
            .AddSource(source.Name)
            .AddProcessor(new FlushedActivityExportProcessor(deferred, maxQueueSize: 10, maxExportBatchSize: 2))
            .Build();

        var ended = Enumerable.Range(0, 3).Select(i => source.StartActivity($"span {i}")!).ToList();
        ended.ForEach(activity => activity.Stop());

        Assert.False(deferred.IsBuilt);
        Assert.Empty(exporter.Batches);

        Assert.True(provider.ForceFlush());

        Assert.Equal([2, 1], exporter.Batches.Select(batch => batch.Items.Count));
        Assert.Equal(ended, exporter.Batches.SelectMany(batch => batch.Items));
        Assert.All(exporter.Batches, batch => Assert.Equal(Environment.CurrentManagedThreadId, batch.ThreadId));
        Assert.All(exporter.Batches, batch => Assert.Equal("flushed-service", batch.ServiceName));

        // Exported spans are not exported again.
        Assert.True(provider.ForceFlush());
        Assert.Equal(2, exporter.Batches.Count);
    }

    [Fact]
    public void Spans_beyond_the_queue_size_are_dropped_and_the_rest_are_exported_at_shutdown()
    {
        using var source = new ActivitySource($"test-{Guid.NewGuid():N}");
        var exporter = new RecordingExporter<Activity>();
        var provider = Sdk.CreateTracerProviderBuilder()
            .AddSource(source.Name)
            .AddProcessor(new FlushedActivityExportProcessor(new DeferredExporter<Activity>(() => exporter), maxQueueSize: 2, maxExportBatchSize: 512))
            .Build();

        var ended = Enumerable.Range(0, 3).Select(i => source.StartActivity($"span {i}")!).ToList();
        ended.ForEach(activity => activity.Stop());
        provider.Dispose();

        Assert.Equal(ended.Take(2), Assert.Single(exporter.Batches).Items);
    }

    [Fact]
    public void A_reader_without_a_schedule_builds_its_exporter_at_the_first_flush_with_the_resource()
    {
        using var meter = new Meter($"test-{Guid.NewGuid():N}");
        var exporter = new RecordingExporter<Metric>();
        var deferred = new DeferredExporter<Metric>(() => exporter);
        using var provider = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService("flushed-service"))
            .AddMeter(meter.Name)
            .AddReader(new BaseExportingMetricReader(deferred))
            .Build();

        meter.CreateCounter<long>("invocations").Add(3);
        Assert.False(deferred.IsBuilt);

        Assert.True(provider.ForceFlush());

        var batch = Assert.Single(exporter.Batches);
        Assert.Equal("invocations", Assert.Single(batch.Items).Name);
        Assert.Equal("flushed-service", batch.ServiceName);
    }

    [Fact]
    public async Task Workers_flushing_at_once_export_one_at_a_time_and_every_span_once_before_their_flush_returns()
    {
        using var source = new ActivitySource($"test-{Guid.NewGuid():N}");
        // Slow enough that a second flush would overlap the first without the export lock.
        var exporter = new RecordingExporter<Activity> { Delay = TimeSpan.FromMilliseconds(20) };
        using var provider = Sdk.CreateTracerProviderBuilder()
            .AddSource(source.Name)
            .AddProcessor(new FlushedActivityExportProcessor(new DeferredExporter<Activity>(() => exporter), maxQueueSize: 1000, maxExportBatchSize: 3))
            .Build();
        const int Workers = 8;
        using var start = new Barrier(Workers);

        var flushed = await Task.WhenAll(Enumerable.Range(0, Workers).Select(worker => Task.Factory.StartNew(
            () =>
            {
                var mine = Enumerable.Range(0, 5).Select(i => source.StartActivity($"worker {worker} span {i}")!).ToList();
                mine.ForEach(activity => activity.Stop());
                start.SignalAndWait();
                var done = provider.ForceFlush();
                // This worker's spans were sent by the time its flush returned, by itself or by another worker.
                return done && mine.All(span => exporter.Exported.Contains(span));
            },
            TaskCreationOptions.LongRunning)));

        Assert.All(flushed, Assert.True);
        Assert.Equal(1, exporter.MostConcurrentExports);
        var all = exporter.Batches.SelectMany(batch => batch.Items).ToList();
        Assert.Equal(Workers * 5, all.Count);
        Assert.Equal(all.Count, all.Distinct().Count());
    }

    [Fact]
    public void A_flush_starts_no_batch_after_its_time_is_spent_and_the_next_flush_sends_the_rest()
    {
        using var source = new ActivitySource($"test-{Guid.NewGuid():N}");
        var exporter = new RecordingExporter<Activity> { Delay = TimeSpan.FromMilliseconds(300) };
        using var provider = Sdk.CreateTracerProviderBuilder()
            .AddSource(source.Name)
            .AddProcessor(new FlushedActivityExportProcessor(new DeferredExporter<Activity>(() => exporter), maxQueueSize: 100, maxExportBatchSize: 1))
            .Build();
        var ended = Enumerable.Range(0, 5).Select(i => source.StartActivity($"span {i}")!).ToList();
        ended.ForEach(activity => activity.Stop());

        Assert.False(provider.ForceFlush(500));
        Assert.InRange(exporter.Batches.Count, 1, 2);

        Assert.True(provider.ForceFlush());
        Assert.Equal(ended, exporter.Batches.SelectMany(batch => batch.Items));
    }

    private sealed record ExportedBatch<T>(List<T> Items, int ThreadId, string? ServiceName);

    /// <summary>Keeps what it is given (the network's part, which the end-to-end tests cover with a real receiver).</summary>
    private sealed class RecordingExporter<T> : BaseExporter<T>
        where T : class
    {
        private int _exporting;

        public List<ExportedBatch<T>> Batches { get; } = [];

        /// <summary>Every item exported so far (safe to read while exports run).</summary>
        public ConcurrentBag<T> Exported { get; } = [];

        /// <summary>How long each export takes.</summary>
        public TimeSpan Delay { get; init; }

        public int MostConcurrentExports { get; private set; }

        public override ExportResult Export(in Batch<T> batch)
        {
            var exporting = Interlocked.Increment(ref _exporting);
            lock (Batches)
            {
                MostConcurrentExports = Math.Max(MostConcurrentExports, exporting);
            }

            var items = new List<T>();
            foreach (var item in batch)
            {
                items.Add(item);
            }

            Thread.Sleep(Delay);
            var serviceName = ParentProvider?.GetResource().Attributes.FirstOrDefault(attribute => attribute.Key == "service.name").Value as string;
            lock (Batches)
            {
                Batches.Add(new ExportedBatch<T>(items, Environment.CurrentManagedThreadId, serviceName));
            }

            items.ForEach(Exported.Add);
            Interlocked.Decrement(ref _exporting);
            return ExportResult.Success;
        }
    }
}
