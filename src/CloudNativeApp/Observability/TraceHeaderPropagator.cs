using System.Diagnostics;
using CloudNativeApp.LambdaHosting;

namespace CloudNativeApp.Observability;

/// <summary>
/// Where a request's trace continues from: W3C <c>traceparent</c> first, else an X-Ray <c>X-Amzn-Trace-Id</c>
/// header (Root=1-{8 hex}-{24 hex};Parent={16 hex};Sampled=0|1, the same ids in another spelling). In Lambda the
/// invocation span already continues the trace Lambda sends, so the request span becomes its child whatever the
/// headers say. Outgoing requests carry <c>traceparent</c> only: in Lambda the AWS SDK adds <c>X-Amzn-Trace-Id</c>
/// itself (recursion detection), and a second value would make the header ambiguous.
/// </summary>
internal sealed class TraceHeaderPropagator : DistributedContextPropagator
{
    public const string XRayHeader = "X-Amzn-Trace-Id";

    private static readonly DistributedContextPropagator W3C = CreateDefaultPropagator();

    public override IReadOnlyCollection<string> Fields { get; } = [.. W3C.Fields, XRayHeader];

    public override void Inject(Activity? activity, object? carrier, PropagatorSetterCallback? setter) =>
        W3C.Inject(activity, carrier, setter);

    public override void ExtractTraceIdAndState(object? carrier, PropagatorGetterCallback? getter, out string? traceId, out string? traceState)
    {
        traceId = null;
        traceState = null;
        if (Activity.Current is { OperationName: LambdaTelemetry.InvocationActivityName })
        {
            return;
        }

        W3C.ExtractTraceIdAndState(carrier, getter, out traceId, out traceState);
        if (traceId is null && getter is not null)
        {
            getter(carrier, XRayHeader, out var header, out _);
            if (LambdaTelemetry.TryParseXRayTraceHeader(header, out var context))
            {
                traceId = $"00-{context.TraceId}-{context.SpanId}-{(context.TraceFlags.HasFlag(ActivityTraceFlags.Recorded) ? "01" : "00")}";
            }
        }
    }

    public override IEnumerable<KeyValuePair<string, string?>>? ExtractBaggage(object? carrier, PropagatorGetterCallback? getter) =>
        W3C.ExtractBaggage(carrier, getter);
}
