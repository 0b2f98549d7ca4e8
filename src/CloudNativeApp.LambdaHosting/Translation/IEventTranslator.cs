using System.Text.Json;
using CloudNativeApp.LambdaHosting.Http;

namespace CloudNativeApp.LambdaHosting.Translation;

/// <summary>One HTTP event source: recognises its events, turns them into request features and the response into its JSON.</summary>
internal interface IEventTranslator
{
    LambdaEventSource Source { get; }

    /// <summary>True when the event has this source's shape.</summary>
    bool CanTranslate(LambdaEvent lambdaEvent);

    /// <summary>Fills the request side of <paramref name="features"/> from the event.</summary>
    void ReadRequest(LambdaEvent lambdaEvent, LambdaHttpFeatures features);

    /// <summary>Writes the response object this source expects.</summary>
    void WriteResponse(LambdaHttpFeatures features, Utf8JsonWriter writer);
}
