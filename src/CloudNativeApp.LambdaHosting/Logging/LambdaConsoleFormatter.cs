using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace CloudNativeApp.LambdaHosting.Logging;

/// <summary>
/// Console lines in Lambda's own shapes, each with the invocation's request id (from <see cref="LambdaRequestScope"/>):
/// text <c>timestamp	requestId	level	category: message</c>, or with <c>AWS_LAMBDA_LOG_FORMAT=JSON</c> one JSON object
/// per line (<c>timestamp, level, requestId, traceId</c> when traced<c>, category, message</c>, the message's template
/// values, <c>exception</c>). Both ids come from the async-local scope, so concurrent invocations' lines interleave
/// but each names its own invocation.
/// </summary>
internal abstract class LambdaConsoleFormatter(string name) : ConsoleFormatter(name)
{
    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter?.Invoke(logEntry.State, logEntry.Exception) ?? logEntry.State?.ToString() ?? "";
        if (message.Length == 0 && logEntry.Exception is null)
        {
            return;
        }

        Write(logEntry, message, FindInvocation(scopeProvider), textWriter);
    }

    protected abstract void Write<TState>(in LogEntry<TState> logEntry, string message, LambdaRequestScope? invocation, TextWriter textWriter);

    protected static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "TRACE",
        LogLevel.Debug => "DEBUG",
        LogLevel.Information => "INFO",
        LogLevel.Warning => "WARN",
        LogLevel.Error => "ERROR",
        LogLevel.Critical => "FATAL",
        _ => "NONE",
    };

    protected static string Timestamp() => DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static LambdaRequestScope? FindInvocation(IExternalScopeProvider? scopeProvider)
    {
        if (scopeProvider is null)
        {
            return null;
        }

        var found = new StrongBox();
        scopeProvider.ForEachScope(static (scope, box) => box.Value ??= scope as LambdaRequestScope, found);
        return found.Value;
    }

    private sealed class StrongBox
    {
        public LambdaRequestScope? Value { get; set; }
    }
}

internal sealed class LambdaTextConsoleFormatter() : LambdaConsoleFormatter(FormatterName)
{
    public const string FormatterName = "lambda-text";

    protected override void Write<TState>(in LogEntry<TState> logEntry, string message, LambdaRequestScope? invocation, TextWriter textWriter)
    {
        textWriter.Write(Timestamp());
        textWriter.Write('\t');
        textWriter.Write(invocation?.AwsRequestId ?? "-");
        textWriter.Write('\t');
        textWriter.Write(Level(logEntry.LogLevel));
        textWriter.Write('\t');
        textWriter.Write(logEntry.Category);
        textWriter.Write(": ");

        // One event per line in CloudWatch: line breaks inside the message are escaped (the exception, too).
        textWriter.Write(message.ReplaceLineEndings("\r"));
        if (logEntry.Exception is { } exception)
        {
            textWriter.Write('\r');
            textWriter.Write(exception.ToString().ReplaceLineEndings("\r"));
        }

        textWriter.Write('\n');
    }
}

internal sealed class LambdaJsonConsoleFormatter() : LambdaConsoleFormatter(FormatterName)
{
    public const string FormatterName = "lambda-json";

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly HashSet<string> Reserved = ["timestamp", "level", "requestId", "traceId", "category", "message", "exception", "eventId", "{OriginalFormat}"];

    protected override void Write<TState>(in LogEntry<TState> logEntry, string message, LambdaRequestScope? invocation, TextWriter textWriter)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("timestamp"u8, Timestamp());
            writer.WriteString("level"u8, Level(logEntry.LogLevel));
            if (invocation is not null)
            {
                writer.WriteString("requestId"u8, invocation.AwsRequestId);
                if (invocation.TraceId is { } traceId)
                {
                    writer.WriteString("traceId"u8, traceId);
                }
            }

            writer.WriteString("category"u8, logEntry.Category);
            writer.WriteString("message"u8, message);
            if (logEntry.EventId.Id != 0)
            {
                writer.WriteNumber("eventId"u8, logEntry.EventId.Id);
            }

            if (logEntry.State is IReadOnlyList<KeyValuePair<string, object?>> values)
            {
                foreach (var (key, value) in values)
                {
                    if (!Reserved.Contains(key))
                    {
                        WriteValue(writer, key, value);
                    }
                }
            }

            if (logEntry.Exception is { } exception)
            {
                writer.WriteString("exception"u8, exception.ToString());
            }

            writer.WriteEndObject();
        }

        textWriter.Write(System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
        textWriter.Write('\n');
    }

    private static void WriteValue(Utf8JsonWriter writer, string key, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNull(key);
                break;
            case bool flag:
                writer.WriteBoolean(key, flag);
                break;
            case int or long or short or byte or uint or ulong or ushort or sbyte or decimal or double or float:
                writer.WritePropertyName(key);
                writer.WriteRawValue(Convert.ToString(value, CultureInfo.InvariantCulture)!, skipInputValidation: false);
                break;
            default:
                writer.WriteString(key, Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }
}
