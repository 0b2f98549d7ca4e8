using System.Diagnostics.Metrics;

namespace CloudNativeApp.LambdaHosting.Runtime;

/// <summary>
/// The invocation as the current <see cref="Activity"/>, parented on Lambda's X-Ray trace header
/// (<c>Root=1-{8 hex}-{24 hex};Parent={16 hex};Sampled=1</c>): the X-Ray trace id is a W3C trace id with the dash
/// removed, and the parent segment id a span id. ASP.NET Core's request activity then becomes its child, so logs and
/// OpenTelemetry exporters see the X-Ray trace, per invocation, where a process-wide environment variable cannot carry
/// it under concurrency.
/// <para>
/// With a listener on <see cref="SourceName"/> (an OpenTelemetry tracer) the activity is a server span with the FaaS
/// semantic-convention attributes; without one, a bare activity carries only the trace context (for log correlation)
/// and costs no tags. The <see cref="Meter"/> of the same name counts cold starts and times invocations.
/// </para>
/// </summary>
internal static class InvocationActivity
{
    /// <summary>The <see cref="ActivitySource"/> and <see cref="System.Diagnostics.Metrics.Meter"/> name.</summary>
    public const string SourceName = "CloudNativeApp.LambdaHosting";

    /// <summary>The invocation activity's operation name.</summary>
    public const string Name = "CloudNativeApp.LambdaHosting.Invocation";

    private static readonly ActivitySource Source = new(SourceName);
    private static readonly Meter Meter = new(SourceName);
    private static readonly Counter<long> ColdStarts = Meter.CreateCounter<long>("faas.coldstarts", "{coldstart}", "Invocations that started a new execution environment.");
    private static readonly Histogram<double> InvokeDuration = Meter.CreateHistogram<double>("faas.invoke_duration", "s", "Duration of the function's part of an invocation.");

    // Boxed once: a bool tag would otherwise box on every listened invocation.
    private static readonly object ColdStartTrue = true;
    private static readonly object ColdStartFalse = false;

    private static int _invoked;

    /// <summary>True for the first invocation of the process (the first after a SnapStart restore), false after.</summary>
    internal static bool TakeColdStart() => Interlocked.Exchange(ref _invoked, 1) == 0;

    /// <summary>Started and current, or null when nothing listens and there is no parsable trace header.</summary>
    internal static Activity? Start(string requestId, string? traceHeader, string? functionArn = null, string? functionName = null, bool coldStart = false)
    {
        var parsed = TryParse(traceHeader, out var traceId, out var parentId, out var sampled);
        if (coldStart)
        {
            ColdStarts.Add(1);
        }

        if (Source.HasListeners())
        {
            var parent = parsed ? new ActivityContext(traceId, parentId, sampled ? ActivityTraceFlags.Recorded : ActivityTraceFlags.None, isRemote: true) : default;
            if (Source.StartActivity(Name, ActivityKind.Server, parent) is { } span)
            {
                if (span.IsAllDataRequested)
                {
                    span.DisplayName = string.IsNullOrEmpty(functionName) ? Name : functionName;
                    span.SetTag("faas.invocation_id", requestId);
                    span.SetTag("faas.coldstart", coldStart ? ColdStartTrue : ColdStartFalse);
                    span.SetTag("cloud.provider", "aws");
                    span.SetTag("cloud.resource_id", functionArn);
                    span.SetTag("aws.xray.trace_header", traceHeader);
                }

                return span;
            }
        }

        if (!parsed)
        {
            return null;
        }

        var activity = new Activity(Name);
        activity.SetParentId(traceId, parentId, sampled ? ActivityTraceFlags.Recorded : ActivityTraceFlags.None);
        activity.SetTag("faas.invocation_id", requestId);
        activity.SetTag("aws.xray.trace_header", traceHeader);
        return activity.Start();
    }

    /// <summary>Records what the invocation turned out to be (known once its event was read) and whether it failed.</summary>
    internal static void Complete(Activity? activity, LambdaInvocationKind? kind, string? errorType, long startTimestamp)
    {
        // FaaS semantic conventions: "http" for HTTP events, "other" for everything else.
        var trigger = kind is LambdaInvocationKind.NotHttpEvent ? "other" : "http";
        // Only the listened span gets attributes; the bare activity (nothing listening) stays as cheap as it was.
        if (activity is { IsAllDataRequested: true } && ReferenceEquals(activity.Source, Source))
        {
            activity.SetTag("faas.trigger", trigger);
            if (errorType is not null)
            {
                activity.SetStatus(ActivityStatusCode.Error, errorType);
                activity.SetTag("error.type", errorType);
            }
        }

        if (InvokeDuration.Enabled)
        {
            InvokeDuration.Record(
                Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds,
                new KeyValuePair<string, object?>("faas.trigger", trigger),
                new KeyValuePair<string, object?>("error.type", errorType));
        }
    }

    /// <summary>
    /// The response the caller gets is the server's error in place of the application's (too large for Lambda): the
    /// request span says what the application answered, the invocation span what was sent. Called on the invocation's
    /// flow after the request span ended, where the invocation activity is current again.
    /// </summary>
    internal static void ResponseReplaced(string errorType, int statusCode)
    {
        if (Activity.Current is { IsAllDataRequested: true } activity && ReferenceEquals(activity.Source, Source))
        {
            activity.SetStatus(ActivityStatusCode.Error, errorType);
            activity.SetTag("error.type", errorType);
            activity.SetTag("http.response.status_code", statusCode);
        }
    }

    /// <summary>Reads an X-Ray trace header into the W3C trace id and parent span id it carries.</summary>
    public static bool TryParse(string? header, out ActivityTraceId traceId, out ActivitySpanId parentId, out bool sampled)
    {
        traceId = default;
        parentId = default;
        sampled = false;
        if (string.IsNullOrEmpty(header))
        {
            return false;
        }

        ReadOnlySpan<char> root = default, parent = default;
        foreach (var range in header.AsSpan().Split(';'))
        {
            var field = header.AsSpan()[range].Trim();
            if (field.StartsWith("Root=", StringComparison.Ordinal))
            {
                root = field[5..];
            }
            else if (field.StartsWith("Parent=", StringComparison.Ordinal))
            {
                parent = field[7..];
            }
            else if (field.StartsWith("Sampled=", StringComparison.Ordinal))
            {
                sampled = field[8..] is "1";
            }
        }

        // "1-" version, 8 hex digits of epoch seconds, '-', 24 random hex digits.
        if (root.Length != 35 || !root.StartsWith("1-") || root[10] != '-' || parent.Length != 16)
        {
            return false;
        }

        Span<char> hex = stackalloc char[32];
        root.Slice(2, 8).CopyTo(hex);
        root[11..].CopyTo(hex[8..]);
        if (!IsLowerHex(hex) || !IsLowerHex(parent) || hex.IndexOfAnyExcept('0') < 0 || parent.IndexOfAnyExcept('0') < 0)
        {
            return false;
        }

        traceId = ActivityTraceId.CreateFromString(hex);
        parentId = ActivitySpanId.CreateFromString(parent);
        return true;
    }

    private static readonly SearchValues<char> LowerHex = SearchValues.Create("0123456789abcdef");

    private static bool IsLowerHex(ReadOnlySpan<char> value) => !value.ContainsAnyExcept(LowerHex);
}
