using System.Buffers;
using System.Diagnostics;

namespace CloudNativeApp.LambdaHosting.Runtime;

/// <summary>
/// The invocation as the current <see cref="Activity"/>, parented on Lambda's X-Ray trace header
/// (<c>Root=1-{8 hex}-{24 hex};Parent={16 hex};Sampled=1</c>): the X-Ray trace id is a W3C trace id with the dash
/// removed, and the parent segment id a span id. ASP.NET Core's request activity then becomes its child (unless the
/// request carries its own <c>traceparent</c>), so logs and OpenTelemetry exporters see the X-Ray trace, per
/// invocation, where a process-wide environment variable cannot carry it under concurrency.
/// </summary>
internal static class InvocationActivity
{
    public const string Name = "CloudNativeApp.LambdaHosting.Invocation";

    /// <summary>Started and current, or null when there is no parsable trace header.</summary>
    public static Activity? Start(string requestId, string? traceHeader)
    {
        if (!TryParse(traceHeader, out var traceId, out var parentId, out var sampled))
        {
            return null;
        }

        var activity = new Activity(Name);
        activity.SetParentId(traceId, parentId, sampled ? ActivityTraceFlags.Recorded : ActivityTraceFlags.None);
        activity.SetTag("faas.invocation_id", requestId);
        activity.SetTag("aws.xray.trace_header", traceHeader);
        return activity.Start();
    }

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
