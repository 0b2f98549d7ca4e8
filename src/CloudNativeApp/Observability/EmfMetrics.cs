using System.Diagnostics.Metrics;
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
/// <para>
/// This runs on every invocation of the default Lambda configuration, so it allocates little: one small object per
/// invocation, and the line is made in a buffer of the writing thread (<see cref="EmfLineWriter"/>).
/// </para>
/// </summary>
internal sealed class EmfMetrics : ILambdaInvocationObserver, IDisposable
{
    public const string Namespace = "CloudNativeApp";

    private static readonly EmfInstrument[] Instruments =
    [
        new("Microsoft.AspNetCore.Hosting", "http.server.request.duration", "RequestDuration", EmfUnit.Milliseconds, 1000, hasRequestDimensions: true),
        new(ItemStoreTelemetry.SourceName, "db.client.operation.duration", "DynamoDb", EmfUnit.Milliseconds, 1000, nameTag: "db.operation.name"),
        new(ItemStoreTelemetry.SourceName, "items.store.outages", "StoreOutages", EmfUnit.Count, 1),
        new(ItemStoreTelemetry.SourceName, "items.idempotent_replays", "IdempotentReplays", EmfUnit.Count, 1),
        new(LambdaTelemetry.SourceName, "faas.coldstarts", "ColdStarts", EmfUnit.Count, 1),
    ];

    // Per instance, not static: two hosts in one process (tests) must not see each other's invocations.
    private readonly AsyncLocal<EmfInvocation?> _current = new();
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

    public void InvocationStarting(ILambdaContext context) => _current.Value = new EmfInvocation();

    public Task InvocationCompletedAsync(ILambdaContext context)
    {
        // The async-local is not cleared: it leaves with the invocation's flow, which ends after this call, and a
        // measurement that comes later (from work the request left running) lands in an invocation already written.
        if (_current.Value is { Count: > 0 } invocation)
        {
            // Synchronously, in one write: stdout's stream has no async I/O of its own (WriteAsync would hop to the
            // thread pool); EmfLineWriter keeps concurrent invocations' lines apart.
            EmfLineWriter.Write(_output, invocation, string.IsNullOrEmpty(context.FunctionName) ? "local" : context.FunctionName, context.AwsRequestId, _time.GetUtcNow());
        }

        return Task.CompletedTask;
    }

    public void Dispose() => _listener.Dispose();

    private void Record(object? state, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (_current.Value is { } invocation && state is EmfInstrument instrument)
        {
            invocation.Add(instrument, value * instrument.Scale, tags);
        }
    }
}

/// <summary>Where EMF lines go: Lambda's stdout, which CloudWatch Logs reads; a test swaps in a buffer.</summary>
internal sealed class EmfOutput(Stream stream)
{
    public Stream Stream { get; } = stream;
}
