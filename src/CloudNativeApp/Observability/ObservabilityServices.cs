using System.Diagnostics;
using CloudNativeApp.LambdaHosting;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CloudNativeApp.Observability;

public static class ObservabilityServices
{
    /// <summary>Switches the EMF metric lines on or off; on by default in Lambda, off elsewhere (where there are no invocations).</summary>
    public const string EmfMetricsKey = "Observability:EmfMetrics";

    /// <summary>
    /// Traces and metrics: every request continues the caller's trace (<c>traceparent</c> or X-Ray's
    /// <c>X-Amzn-Trace-Id</c>; in Lambda the invocation's trace), OpenTelemetry export over OTLP when
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, and in Lambda CloudWatch EMF metric lines unless
    /// <c>Observability:EmfMetrics</c> is false. With neither, no telemetry SDK runs.
    /// </summary>
    public static WebApplicationBuilder AddObservability(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        // From configuration (environment variables are part of it), so a test host can say it runs in Lambda.
        var inLambda = !string.IsNullOrWhiteSpace(configuration[LambdaHostingServiceCollectionExtensions.RuntimeApiVariable]);

        // ASP.NET Core takes each request's parent context from the DistributedContextPropagator service.
        services.RemoveAll<DistributedContextPropagator>();
        services.AddSingleton<DistributedContextPropagator, TraceHeaderPropagator>();

        if (IsEmfEnabled(configuration[EmfMetricsKey], inLambda))
        {
            services.TryAddSingleton(TimeProvider.System);
            services.TryAddSingleton(_ => new EmfOutput(Console.OpenStandardOutput()));
            services.AddSingleton<ILambdaInvocationObserver, EmfMetrics>();
        }

        if (OtlpExport.IsConfigured(configuration))
        {
            services.TryAddSingleton(TimeProvider.System);
            OtlpExport.Add(services, configuration, inLambda);
        }

        return builder;
    }

    private static bool IsEmfEnabled(string? value, bool inLambda)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return inLambda;
        }

        return bool.TryParse(value.Trim(), out var enabled)
            ? enabled
            : throw new InvalidOperationException($"{EmfMetricsKey} must be true or false, not '{value}'.");
    }
}
