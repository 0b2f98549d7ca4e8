using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;

namespace CloudNativeApp.Observability;

/// <summary>
/// Completes ASP.NET Core's request span as OpenTelemetry's HTTP server conventions want it: <c>http.route</c>,
/// <c>http.response.status_code</c>, <c>network.protocol.version</c>, <c>error.type</c> (an exception, or a 5xx
/// response) with an error status unless the status is a 4xx, and "GET /items/{id}" as its name. ASP.NET Core 10 sets
/// only the attributes known when the request starts (<see cref="OtlpExport"/> switches them on); those of its end come
/// with ASP.NET Core 11.
/// <para>
/// They are taken from the <c>http.server.request.duration</c> measurement, which ASP.NET Core records with exactly these
/// values at the end of the request while the request span is still <see cref="Activity.Current"/> (so that exemplars
/// can point at it), after the server has decided the status (the Lambda server's 500 for an unhandled exception, 504
/// at the deadline). That costs one callback per request, where OpenTelemetry's ASP.NET Core instrumentation
/// subscribed to the hosting layer's <see cref="DiagnosticListener"/> and read the request again at its start and end.
/// </para>
/// </summary>
internal sealed class RequestSpanCompletion : IDisposable
{
    private const string HostingMeter = "Microsoft.AspNetCore.Hosting";
    private const string RequestDuration = "http.server.request.duration";
    private const string RequestSource = "Microsoft.AspNetCore";

    private readonly MeterListener _listener = new();

    public RequestSpanCompletion()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument is { Name: RequestDuration, Meter.Name: HostingMeter })
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((_, _, tags, _) => Complete(tags));
        _listener.Start();
    }

    public void Dispose() => _listener.Dispose();

    internal static void Complete(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (Activity.Current is not { IsAllDataRequested: true } span || span.Source.Name != RequestSource)
        {
            return;
        }

        string? method = null, route = null, errorType = null;
        var status = 0;
        foreach (var (key, value) in tags)
        {
            switch (key)
            {
                case "http.request.method":
                    method = value as string;
                    break;
                case "http.route":
                    route = value as string;
                    span.SetTag(key, value);
                    break;
                case "http.response.status_code":
                    status = value is int code ? code : 0;
                    span.SetTag(key, value);
                    break;
                case "network.protocol.version":
                    span.SetTag(key, value);
                    break;
                case "error.type":
                    errorType = value as string;
                    break;
            }
        }

        // The conventions' name: method and route; "HTTP" for a method outside the known set ("_OTHER").
        var name = method is null or "_OTHER" ? "HTTP" : method;
        span.DisplayName = string.IsNullOrEmpty(route) ? name : string.Concat(name, " ", route);

        // A server span is an error for a 5xx, or for an exception that left a non-error status (the response had
        // started); a 4xx is the client's error and stays Unset, also when a handled exception (a malformed body)
        // produced it, though its error.type is kept.
        errorType ??= status >= 500 ? status.ToString(CultureInfo.InvariantCulture) : null;
        if (errorType is not null)
        {
            span.SetTag("error.type", errorType);
            if (status is >= 500 or < 400)
            {
                span.SetStatus(ActivityStatusCode.Error);
            }
        }
    }
}
