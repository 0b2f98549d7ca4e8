namespace CloudNativeApp.Lambda.EndToEnd.Tests;

/// <summary>A function's response to an HTTP event, read back from that event source's response JSON.</summary>
public sealed class LambdaHttpResponse
{
    private LambdaHttpResponse(JsonElement json, int statusCode, IReadOnlyDictionary<string, IReadOnlyList<string>> headers, string body)
    {
        Json = json;
        StatusCode = statusCode;
        Headers = headers;
        Body = body;
    }

    public JsonElement Json { get; }

    public int StatusCode { get; }

    public IReadOnlyDictionary<string, IReadOnlyList<string>> Headers { get; }

    /// <summary>The body, decoded from base64 when <c>isBase64Encoded</c> says so.</summary>
    public string Body { get; }

    public string? Header(string name) => Headers.TryGetValue(name, out var values) ? string.Join(", ", values) : null;

    public string? MediaType => Header("Content-Type")?.Split(';')[0].Trim();

    public JsonElement BodyJson()
    {
        using var document = JsonDocument.Parse(Body);
        return document.RootElement.Clone();
    }

    /// <summary>
    /// Reads the response and checks it has the shape the event source requires: <c>multiValueHeaders</c> for REST
    /// APIs and multi-value ALB targets, <c>headers</c> otherwise, <c>statusDescription</c> for ALB.
    /// </summary>
    public static LambdaHttpResponse Parse(JsonElement json, HttpEventSource source)
    {
        var statusCode = json.GetProperty("statusCode").GetInt32();
        var headers = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        var usesMultiValueHeaders = source is HttpEventSource.RestApi or HttpEventSource.AlbMultiValue;
        if (usesMultiValueHeaders)
        {
            Assert.Equal(JsonValueKind.Object, json.GetProperty("multiValueHeaders").ValueKind);
            foreach (var header in json.GetProperty("multiValueHeaders").EnumerateObject())
            {
                headers[header.Name] = [.. header.Value.EnumerateArray().Select(value => value.GetString()!)];
            }
        }
        else
        {
            Assert.False(json.TryGetProperty("multiValueHeaders", out _), $"{source} responses use headers, not multiValueHeaders: {json}");
            if (json.TryGetProperty("headers", out var single))
            {
                foreach (var header in single.EnumerateObject())
                {
                    headers[header.Name] = [header.Value.GetString()!];
                }
            }
        }

        if (source is HttpEventSource.Alb or HttpEventSource.AlbMultiValue)
        {
            Assert.StartsWith($"{statusCode} ", json.GetProperty("statusDescription").GetString(), StringComparison.Ordinal);
        }

        var body = json.TryGetProperty("body", out var bodyElement) ? bodyElement.GetString() ?? "" : "";
        if (json.TryGetProperty("isBase64Encoded", out var encoded) && encoded.GetBoolean())
        {
            body = Encoding.UTF8.GetString(Convert.FromBase64String(body));
        }

        return new LambdaHttpResponse(json, statusCode, headers, body);
    }

    public override string ToString() => Json.GetRawText();
}
