using System.Text.Json.Serialization;

namespace CloudNativeApp.LambdaRuntimeApi;

/// <summary>The Runtime API's own error document (the same shape the function uses for its errors).</summary>
internal sealed record ErrorResponse(
    [property: JsonPropertyName("errorMessage")] string ErrorMessage,
    [property: JsonPropertyName("errorType")] string ErrorType);

internal sealed record StatusResponse([property: JsonPropertyName("status")] string Status);

/// <summary>The Invoke API's error document for requests Lambda rejects before running the function.</summary>
internal sealed record InvokeApiError(
    [property: JsonPropertyName("Type")] string Type,
    [property: JsonPropertyName("message")] string Message);

[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(StatusResponse))]
[JsonSerializable(typeof(InvokeApiError))]
internal sealed partial class RuntimeApiJsonContext : JsonSerializerContext;
