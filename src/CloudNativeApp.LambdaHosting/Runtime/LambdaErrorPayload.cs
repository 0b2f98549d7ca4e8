using System.Text.Encodings.Web;
using System.Text.Json;

namespace CloudNativeApp.LambdaHosting.Runtime;

/// <summary>The Runtime API's error document: <c>{"errorMessage","errorType","stackTrace":[...]}</c>.</summary>
internal static class LambdaErrorPayload
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary><see cref="LambdaFunctionException.ErrorType"/>, or the exception's type name (as the official runtime reports it).</summary>
    public static string GetErrorType(Exception exception) =>
        exception is LambdaFunctionException functionError ? functionError.ErrorType : exception.GetType().Name;

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
