using CloudNativeApp.LambdaHosting.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CloudNativeApp.LambdaHosting.Tests.Logging;

public sealed class LambdaConsoleFormatterTests
{
    private static string Format(Microsoft.Extensions.Logging.Console.ConsoleFormatter formatter, string? requestId, Exception? exception = null)
    {
        var scopes = new LoggerExternalScopeProvider();
        using var outer = scopes.Push("an unrelated scope");
        using var scope = requestId is null ? null : scopes.Push(new LambdaRequestScope(requestId));
        var state = new FormattedState("Calculated {Sum} for {Caller}", [new("Sum", 30), new("Caller", "alice"), new("{OriginalFormat}", "Calculated {Sum} for {Caller}")]);
        var entry = new LogEntry<FormattedState>(LogLevel.Warning, "Calculator", new EventId(7), state, exception, static (s, _) => s.Message);
        using var writer = new StringWriter();
        formatter.Write(entry, scopes, writer);
        return writer.ToString();
    }

    [Fact]
    public void Json_line_has_Lambda_fields_request_id_and_template_values()
    {
        var line = Format(new LambdaJsonConsoleFormatter(), "req-42", new InvalidOperationException("bad\nthing"));

        Assert.EndsWith("\n", line, StringComparison.Ordinal);
        Assert.Single(line.TrimEnd('\n').Split('\n'));
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        Assert.Equal("WARN", root.GetProperty("level").GetString());
        Assert.Equal("req-42", root.GetProperty("requestId").GetString());
        Assert.Equal("Calculator", root.GetProperty("category").GetString());
        Assert.Equal("Calculated 30 for alice", root.GetProperty("message").GetString());
        Assert.Equal(30, root.GetProperty("Sum").GetInt32());
        Assert.Equal("alice", root.GetProperty("Caller").GetString());
        Assert.Equal(7, root.GetProperty("eventId").GetInt32());
        Assert.Contains("bad\nthing", root.GetProperty("exception").GetString(), StringComparison.Ordinal);
        Assert.False(root.TryGetProperty("{OriginalFormat}", out _));
        Assert.True(DateTimeOffset.TryParse(root.GetProperty("timestamp").GetString(), System.Globalization.CultureInfo.InvariantCulture, out _));
    }

    [Fact]
    public void Json_line_outside_an_invocation_has_no_request_id()
    {
        using var json = JsonDocument.Parse(Format(new LambdaJsonConsoleFormatter(), requestId: null));

        Assert.False(json.RootElement.TryGetProperty("requestId", out _));
    }

    [Fact]
    public void Text_line_is_tab_separated_with_the_request_id_and_one_line_per_event()
    {
        var line = Format(new LambdaTextConsoleFormatter(), "req-42", new InvalidOperationException("bad\nthing"));

        var fields = line.TrimEnd('\n').Split('\t');
        Assert.Equal(4, fields.Length);
        Assert.Equal("req-42", fields[1]);
        Assert.Equal("WARN", fields[2]);
        Assert.StartsWith("Calculator: Calculated 30 for alice\r", fields[3], StringComparison.Ordinal);
        Assert.Single(line.TrimEnd('\n').Split('\n'));
    }

    private sealed class FormattedState(string message, IReadOnlyList<KeyValuePair<string, object?>> values) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public string Message => message.Replace("{Sum}", "30", StringComparison.Ordinal).Replace("{Caller}", "alice", StringComparison.Ordinal);

        public int Count => values.Count;

        public KeyValuePair<string, object?> this[int index] => values[index];

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => values.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
