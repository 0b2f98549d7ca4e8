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

    private sealed record ExportedBatch<T>(List<T> Items, int ThreadId, string? ServiceName);

    /// <summary>Keeps what it is given (the network's part, which the end-to-end tests cover with a real receiver).</summary>
    private sealed class RecordingExporter<T> : BaseExporter<T>
        where T : class
    {
        public List<ExportedBatch<T>> Batches { get; } = [];

        public override ExportResult Export(in Batch<T> batch)
        {
            var items = new List<T>();
            foreach (var item in batch)
            {
                items.Add(item);
            }

            var serviceName = ParentProvider?.GetResource().Attributes.FirstOrDefault(attribute => attribute.Key == "service.name").Value as string;
            Batches.Add(new ExportedBatch<T>(items, Environment.CurrentManagedThreadId, serviceName));
            return ExportResult.Success;
        }
    }
}
