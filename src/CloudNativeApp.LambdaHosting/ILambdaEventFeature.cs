namespace CloudNativeApp.LambdaHosting;

/// <summary>The raw event behind the current request (<c>HttpContext.Features.Get&lt;ILambdaEventFeature&gt;()</c>).</summary>
/// <remarks>The memory and the parsed element are only valid while the request runs; copy what must outlive it.</remarks>
public interface ILambdaEventFeature
{
    /// <summary>Which HTTP event source the event came from.</summary>
    LambdaEventSource Source { get; }

    /// <summary>The event exactly as Lambda delivered it (UTF-8 JSON).</summary>
    ReadOnlyMemory<byte> RawEvent { get; }

    /// <summary>The parsed event, e.g. <c>ParsedEvent.GetProperty("requestContext").GetProperty("stage")</c>.</summary>
    JsonElement ParsedEvent { get; }
}
