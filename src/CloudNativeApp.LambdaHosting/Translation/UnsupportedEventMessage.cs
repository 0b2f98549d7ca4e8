namespace CloudNativeApp.LambdaHosting.Translation;

/// <summary>
/// The error message for an event that is not an HTTP event when the function has no direct-invocation handler:
/// what the event was recognised as, and which events are supported. Built only on that error path, so it parses the
/// event again rather than widening the per-request reader.
/// </summary>
internal static class UnsupportedEventMessage
{
    private const string Supported =
        "Supported HTTP events: API Gateway REST API and HTTP API payload 1.0 (httpMethod), HTTP API payload 2.0 and Lambda "
        + "Function URLs (version \"2.0\" or requestContext.http), Application Load Balancer (requestContext.elb). Other "
        + "events need an ILambdaDirectInvocationHandler, and the function has no handler for direct invocations.";

    private const int MaxListedProperties = 8;

    public static string For(ReadOnlySpan<byte> eventJson) => $"The event is {Describe(eventJson)}. {Supported}";

    private static string Describe(ReadOnlySpan<byte> eventJson)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(eventJson.ToArray());
        }
        catch (JsonException)
        {
            return "not valid JSON";
        }

        using (document)
        {
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object ? DescribeObject(root) : $"a JSON {root.ValueKind.ToString().ToLowerInvariant()}, not an object";
        }
    }

    private static string DescribeObject(JsonElement root)
    {
        if (root.TryGetProperty("requestContext", out var context) && context.ValueKind == JsonValueKind.Object
            && (context.TryGetProperty("eventType", out _) || context.TryGetProperty("connectionId", out _)))
        {
            return "an API Gateway WebSocket API event (" + Fields(context, "requestContext.", "eventType", "routeKey", "connectionId") + "), not an HTTP request";
        }

        if (root.TryGetProperty("Records", out var records) && records.ValueKind == JsonValueKind.Array
            && records.GetArrayLength() > 0 && records[0].ValueKind == JsonValueKind.Object)
        {
            var record = records[0];
            var source = Text(record, "eventSource") ?? Text(record, "EventSource");
            return source switch
            {
                "aws:s3" => "an Amazon S3 event notification (Records[0].eventSource \"aws:s3\")",
                "aws:sqs" => "an Amazon SQS message batch (Records[0].eventSource \"aws:sqs\")",
                "aws:sns" => "an Amazon SNS notification (Records[0].EventSource \"aws:sns\")",
                null => $"an event with {records.GetArrayLength()} Records and no eventSource",
                _ => $"an event from \"{source}\" (Records[0].eventSource)",
            };
        }

        if (Text(root, "source") is { } eventSource && Text(root, "detail-type") is { } detailType)
        {
            return $"an Amazon EventBridge event (source \"{eventSource}\", detail-type \"{detailType}\")";
        }

        var recognised = Fields(root, "", "requestContext", "httpMethod", "routeKey", "version", "rawPath", "path");
        return recognised.Length > 0
            ? $"an object with {recognised}, which is not a supported HTTP event shape"
            : $"an object with {PropertyNames(root)} (no requestContext, httpMethod, routeKey or version)";
    }

    // "eventType \"CONNECT\", routeKey \"$connect\", connectionId" — the named fields the object has, strings quoted.
    private static string Fields(JsonElement element, string prefix, params string[] names)
    {
        var builder = new StringBuilder();
        foreach (var name in names)
        {
            if (!element.TryGetProperty(name, out var value))
            {
                continue;
            }

            builder.Append(builder.Length == 0 ? "" : ", ").Append(prefix).Append(name);
            _ = value.ValueKind switch
            {
                JsonValueKind.String => builder.Append(" \"").Append(Shorten(value.GetString()!)).Append('"'),
                JsonValueKind.Object or JsonValueKind.Array => builder.Append(" (").Append(value.ValueKind.ToString().ToLowerInvariant()).Append(')'),
                _ => builder.Append(' ').Append(value.GetRawText()),
            };
        }

        return builder.ToString();
    }

    private static string PropertyNames(JsonElement root)
    {
        var names = root.EnumerateObject().Select(property => Shorten(property.Name)).ToList();
        return names.Count switch
        {
            0 => "no properties",
            > MaxListedProperties => "properties " + string.Join(", ", names.Take(MaxListedProperties)) + $" and {names.Count - MaxListedProperties} more",
            _ => "properties " + string.Join(", ", names),
        };
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    // Event text ends up in logs and error payloads: long values are cut.
    private static string Shorten(string text) => text.Length <= 64 ? text : text[..61] + "...";
}
