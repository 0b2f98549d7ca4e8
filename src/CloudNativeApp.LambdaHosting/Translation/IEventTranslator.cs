using System.Text.Json;
using CloudNativeApp.LambdaHosting.Http;

namespace CloudNativeApp.LambdaHosting.Translation;

/// <summary>One HTTP event source: recognises its events, turns them into request features and the response into its JSON.</summary>
internal interface IEventTranslator
{
    LambdaEventSource Source { get; }

    /// <summary>True when the event has this source's shape (checked on the parsed event root).</summary>
    bool CanTranslate(JsonElement root);

    /// <summary>Fills the request side of <paramref name="features"/> from the event.</summary>
    void ReadRequest(JsonElement root, LambdaHttpFeatures features);

    /// <summary>Writes the response object this source expects.</summary>
    void WriteResponse(LambdaHttpFeatures features, Utf8JsonWriter writer);
}
