namespace CloudNativeApp.LambdaHosting;

/// <summary>
/// A request run before a SnapStart snapshot through the whole invocation path (event translation, pipeline,
/// response serialization, the Runtime API client over memory), so the snapshot holds that path warm. Registered with
/// <see cref="LambdaSnapStartServiceCollectionExtensions.AddLambdaPrimingRequest"/>. It runs like any request (it
/// reaches the app's dependencies), so pick one without side effects: a read, a calculation.
/// </summary>
/// <param name="Method">The HTTP method, e.g. <c>GET</c>.</param>
/// <param name="PathAndQuery">The path as the client sends it, optionally with a query: <c>/items/x?view=full</c>.</param>
public sealed record LambdaPrimingRequest(string Method, string PathAndQuery)
{
    /// <summary>The request body as text (JSON, usually), or null.</summary>
    public string? Body { get; init; }

    public string ContentType { get; init; } = "application/json";
}
