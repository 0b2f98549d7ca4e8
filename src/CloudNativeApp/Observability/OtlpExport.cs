using System.Diagnostics;
using CloudNativeApp.Items.Storage;
using CloudNativeApp.LambdaHosting;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace CloudNativeApp.Observability;

/// <summary>
/// The OpenTelemetry SDK, registered only when an OTLP endpoint is configured (the standard
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, or the per-signal <c>..._TRACES_ENDPOINT</c>/<c>..._METRICS_ENDPOINT</c>):
/// without one nothing listens to the activity sources and meters, so spans are never even created. The exporter reads
/// the other general <c>OTEL_*</c> variables itself (protocol, headers, timeout, service name, resource attributes), the
/// app each signal's own (<see cref="OtlpSignalSettings"/>);
/// <c>OTEL_TRACES_EXPORTER=none</c> / <c>OTEL_METRICS_EXPORTER=none</c> keep a signal's pipeline without exporting it.
/// On Kestrel the exporters are the SDK's batch processor and periodic reader; in Lambda those of
/// <see cref="LambdaOtlpExporters"/>, which export only when <see cref="LambdaTelemetryFlush"/> flushes.
/// </summary>
internal static class OtlpExport
{
    // Meters: the Lambda server's, the store's, and ASP.NET Core's request metrics (http.server.request.duration).
    private static readonly string[] Meters = [LambdaTelemetry.SourceName, ItemStoreTelemetry.SourceName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Diagnostics"];

    // The invocation, request (ASP.NET Core's) and store spans. Not HttpClient's (System.Net.Http): the app's only
    // HttpClient is the DynamoDB client's, whose attempts the store span already counts (aws.dynamodb.retries) with
    // the request id, so they would be a second span per call, as long as the first. OpenTelemetry's AWS SDK
    // instrumentation suppresses them too (SuppressDownstreamInstrumentation, on by default); an app that adds its own
    // outgoing HTTP calls adds the source.
    private static readonly string[] Sources = [LambdaTelemetry.SourceName, ItemStoreTelemetry.SourceName, "Microsoft.AspNetCore"];

    private const string AspNetCoreActivityDataSwitch = "Microsoft.AspNetCore.Hosting.SuppressActivityOpenTelemetryData";

    // The SDK allocates every metric stream's points up front: 2000 by default, about 200 KB per stream in the
    // large-object heap, 1.6 MB for this app's eight streams during a cold start. The widest stream here,
    // http.server.request.duration, has a series per route × method × status code actually seen: far fewer. Beyond the
    // limit a stream's new series are counted in one overflow series (otel.metric.overflow=true), not lost.
    internal const int MetricStreamCardinalityLimit = 500;

    private static readonly string[] EndpointKeys = ["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"];

    public static bool IsConfigured(IConfiguration configuration) =>
        EndpointKeys.Any(key => !string.IsNullOrWhiteSpace(configuration[key]));

    public static void Add(IServiceCollection services, IConfiguration configuration, bool inLambda)
    {
        // ASP.NET Core's own propagator (TraceHeaderPropagator) picks each request's parent; HttpClient's injects
        // traceparent into outgoing requests.
        DistributedContextPropagator.Current = new TraceHeaderPropagator();

        // ASP.NET Core 10 puts the OpenTelemetry HTTP server attributes known at the start of a request on its request
        // activity itself (http.request.method, url.path, url.scheme, server.address, server.port, user_agent.original)
        // once this switch is off (on by default until ASP.NET Core 11); RequestSpanCompletion adds those of its end.
        // Together they replace OpenTelemetry's ASP.NET Core instrumentation, which read the request from the hosting
        // layer's DiagnosticListener events on every request. Set only here: without tracing the request activity
        // stays bare.
        AppContext.SetSwitch(AspNetCoreActivityDataSwitch, false);

        services.AddOpenTelemetry()
            .ConfigureResource(resource =>
            {
                if (string.IsNullOrWhiteSpace(configuration["OTEL_SERVICE_NAME"]))
                {
                    resource.AddService("CloudNativeApp");
                }

                if (inLambda)
                {
                    resource.AddAttributes(LambdaResource());
                }
            })
            .WithTracing(tracing =>
            {
                tracing.AddSource(Sources)
                    .AddInstrumentation(() => new RequestSpanCompletion());
                AddExporterUnlessOff(configuration, "TRACES", signal => _ = inLambda
                    ? tracing.AddFlushedOtlpExporter(configuration, signal)
                    : tracing.AddOtlpExporter(signal.ApplyTo));
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(Meters)
                    .AddView(_ => new MetricStreamConfiguration { CardinalityLimit = MetricStreamCardinalityLimit });
                AddExporterUnlessOff(configuration, "METRICS", signal => _ = inLambda
                    ? metrics.AddFlushedOtlpExporter(configuration, signal)
                    : metrics.AddOtlpExporter(signal.ApplyTo));
            });

        if (inLambda)
        {
            services.AddSingleton<ILambdaInvocationObserver, LambdaTelemetryFlush>();
        }
    }

    /// <summary>
    /// Adds a signal's (<c>TRACES</c>, <c>METRICS</c>) exporter with its own settings, if any, unless
    /// <c>OTEL_{signal}_EXPORTER=none</c> keeps the pipeline without one. In Lambda the caller adds the exporters only
    /// the flush after each invocation drives (see <see cref="LambdaOtlpExporters"/>).
    /// </summary>
    private static void AddExporterUnlessOff(IConfiguration configuration, string signal, Action<OtlpSignalSettings> addExporter)
    {
        if (!string.Equals(configuration[$"OTEL_{signal}_EXPORTER"]?.Trim(), "none", StringComparison.OrdinalIgnoreCase))
        {
            addExporter(OtlpSignalSettings.Read(configuration, signal));
        }
    }

    private static KeyValuePair<string, object>[] LambdaResource() =>
    [
        new("cloud.provider", "aws"),
        new("cloud.platform", "aws_lambda"),
        new("cloud.region", Environment.GetEnvironmentVariable("AWS_REGION") ?? string.Empty),
        new("faas.name", Environment.GetEnvironmentVariable("AWS_LAMBDA_FUNCTION_NAME") ?? string.Empty),
        new("faas.version", Environment.GetEnvironmentVariable("AWS_LAMBDA_FUNCTION_VERSION") ?? string.Empty),
        new("faas.max_memory", long.TryParse(Environment.GetEnvironmentVariable("AWS_LAMBDA_FUNCTION_MEMORY_SIZE"), out var mb) ? mb * 1024 * 1024 : 0L),
    ];
}

/// <summary>
/// Lambda freezes the environment as soon as the runtime asks for the next event, and a frozen exporter exports
/// nothing (the spans would go out, late, with some later invocation, or never). So after each invocation's result
/// is posted (the caller is not kept waiting) its spans are exported on this thread before polling again (no batch
/// started after <see cref="FlushTimeoutMilliseconds"/>, each request bounded by the exporter's
/// <c>OTEL_EXPORTER_OTLP_TIMEOUT</c>); metrics at their export interval
/// (<c>OTEL_METRIC_EXPORT_INTERVAL</c>, 60 s by default) at most.
/// </summary>
internal sealed class LambdaTelemetryFlush(TracerProvider tracerProvider, MeterProvider meterProvider, IConfiguration configuration, TimeProvider time) : ILambdaInvocationObserver
{
    internal const int FlushTimeoutMilliseconds = 2000;

    private readonly TimeSpan _metricInterval = TimeSpan.FromMilliseconds(
        int.TryParse(configuration["OTEL_METRIC_EXPORT_INTERVAL"], out var interval) && interval > 0 ? interval : 60_000);

    private long _lastMetricFlush = time.GetTimestamp();

    public void InvocationStarting(ILambdaContext context)
    {
    }

    public Task InvocationCompletedAsync(ILambdaContext context)
    {
        tracerProvider.ForceFlush(FlushTimeoutMilliseconds);
        var last = Interlocked.Read(ref _lastMetricFlush);
        if (time.GetElapsedTime(last) >= _metricInterval && Interlocked.CompareExchange(ref _lastMetricFlush, time.GetTimestamp(), last) == last)
        {
            meterProvider.ForceFlush(FlushTimeoutMilliseconds);
        }

        return Task.CompletedTask;
    }
}
