namespace CloudNativeApp.LambdaRuntimeApi;

/// <summary>
/// An error as a function reported it (<c>/invocation/{id}/error</c> or <c>/init/error</c>) or as Lambda
/// synthesizes it (timeout, oversized response): the raw body and header, plus the fields of the
/// <c>application/vnd.aws.lambda.error+json</c> document when the body is one.
/// </summary>
public record FunctionError
{
    public FunctionError(string? errorTypeHeader, string? contentType, ReadOnlyMemory<byte> body)
    {
        ErrorTypeHeader = errorTypeHeader;
        ContentType = contentType;
        Body = body;
        (ErrorType, ErrorMessage, StackTrace) = ParseErrorDocument(body.Span);
    }

    /// <summary>The <c>Lambda-Runtime-Function-Error-Type</c> header, when the function sent one.</summary>
    public string? ErrorTypeHeader { get; }

    /// <summary>The <c>Content-Type</c> of the posted body.</summary>
    public string? ContentType { get; }

    /// <summary>The body exactly as posted; this is what Lambda's Invoke API returns to the caller.</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary><c>errorType</c> from the body, when it is a JSON object that has one.</summary>
    public string? ErrorType { get; }

    /// <summary><c>errorMessage</c> from the body, when it is a JSON object that has one.</summary>
    public string? ErrorMessage { get; }

    /// <summary><c>stackTrace</c> from the body (an array of strings); empty when absent.</summary>
    public IReadOnlyList<string> StackTrace { get; }

    public string BodyText => Encoding.UTF8.GetString(Body.Span);

    /// <summary>True when the body is a JSON object with the string fields Lambda's error format requires.</summary>
    public bool IsWellFormed => ErrorType is not null && ErrorMessage is not null;

    public override string ToString() =>
        $"{ErrorTypeHeader ?? ErrorType ?? "(no error type)"}: {ErrorMessage ?? BodyText}";

    internal static FunctionError Synthesized(string errorType, string errorMessage) =>
        new(null, "application/json", JsonSerializer.SerializeToUtf8Bytes(
            new ErrorResponse(errorMessage, errorType), RuntimeApiJsonContext.Default.ErrorResponse));

    private static (string? Type, string? Message, IReadOnlyList<string> StackTrace) ParseErrorDocument(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, null, []);
            }

            return (StringProperty(root, "errorType"), StringProperty(root, "errorMessage"), StackTraceOf(root));
        }
        catch (JsonException)
        {
            return (null, null, []);
        }
    }

    private static string? StringProperty(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static List<string> StackTraceOf(JsonElement root) =>
        root.TryGetProperty("stackTrace", out var frames) && frames.ValueKind == JsonValueKind.Array
            ? [.. frames.EnumerateArray().Select(frame => frame.ValueKind == JsonValueKind.String ? frame.GetString()! : frame.GetRawText())]
            : [];
}

/// <summary>An error the function posted to <c>/runtime/init/error</c> before taking its first invocation.</summary>
public sealed record InitError : FunctionError
{
    public InitError(string? errorTypeHeader, string? contentType, ReadOnlyMemory<byte> body)
        : base(errorTypeHeader, contentType, body)
    {
    }
}
