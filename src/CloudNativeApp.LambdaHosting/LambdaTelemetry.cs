using CloudNativeApp.LambdaHosting.Runtime;

namespace CloudNativeApp.LambdaHosting;

/// <summary>
/// What the Lambda server emits through <c>System.Diagnostics</c>, for an app to subscribe to (e.g. OpenTelemetry's
/// <c>AddSource</c>/<c>AddMeter</c>) without the library depending on a telemetry SDK.
/// </summary>
public static class LambdaTelemetry
{
    /// <summary>
    /// The <see cref="ActivitySource"/> of the invocation span (FaaS semantic conventions: <c>faas.invocation_id</c>,
    /// <c>faas.coldstart</c>, <c>faas.trigger</c>, <c>cloud.resource_id</c>) and the <c>Meter</c> of
    /// <c>faas.coldstarts</c> and <c>faas.invoke_duration</c>.
    /// </summary>
    public const string SourceName = InvocationActivity.SourceName;

    /// <summary>The operation name of the invocation activity (the parent of ASP.NET Core's request activity).</summary>
    public const string InvocationActivityName = InvocationActivity.Name;

    /// <summary>
    /// Reads an X-Ray trace header (<c>Root=1-{8 hex}-{24 hex};Parent={16 hex};Sampled=0|1</c>) into the W3C context it
    /// carries: the trace id is the root without its version and dash, the parent segment id is the span id.
    /// </summary>
    public static bool TryParseXRayTraceHeader(string? header, out ActivityContext context)
    {
        if (!InvocationActivity.TryParse(header, out var traceId, out var parentId, out var sampled))
        {
            context = default;
            return false;
        }

        context = new ActivityContext(traceId, parentId, sampled ? ActivityTraceFlags.Recorded : ActivityTraceFlags.None, isRemote: true);
        return true;
    }
}
