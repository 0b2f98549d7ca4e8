namespace CloudNativeApp.LambdaHosting.Runtime;

/// <summary>The Runtime API's error document: <c>{"errorMessage","errorType","stackTrace":[...]}</c>.</summary>
internal static class LambdaErrorPayload
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// <see cref="LambdaFunctionException.ErrorType"/>, or the exception's type name (as the official runtime reports
    /// it). It also goes into the <c>Lambda-Runtime-Function-Error-Type</c> header, so anything but visible ASCII
    /// (a line break from app code would split the request) becomes '_'.
    /// </summary>
    public static string GetErrorType(Exception exception)
    {
        var errorType = exception is LambdaFunctionException functionError ? functionError.ErrorType : exception.GetType().Name;
        if (!errorType.AsSpan().ContainsAnyExceptInRange('!', '~'))
        {
            return errorType;
        }

        return string.Create(errorType.Length, errorType, static (chars, source) =>
        {
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = source[i] is >= '!' and <= '~' ? source[i] : '_';
            }
        });
    }

    public static byte[] Serialize(Exception exception, string errorType)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("errorMessage"u8, exception.Message);
            writer.WriteString("errorType"u8, errorType);
            writer.WriteStartArray("stackTrace"u8);
            foreach (var line in (exception.StackTrace ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                writer.WriteStringValue(line);
            }

            writer.WriteEndArray();
            if (exception.InnerException is { } inner && exception is not LambdaFunctionException)
            {
                writer.WriteStartObject("cause"u8);
                writer.WriteString("errorMessage"u8, inner.Message);
                writer.WriteString("errorType"u8, inner.GetType().Name);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        return stream.ToArray();
    }
}
