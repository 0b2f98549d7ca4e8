namespace CloudNativeApp.LambdaHosting.Translation;

/// <summary>
/// A request as each event source delivers it (the fields API Gateway, Function URLs and ALB send, after AWS's
/// documented examples), for priming: the real translator of that source then reads it, as it will the first real
/// event after a restore.
/// </summary>
internal static class PrimingEvents
{
    private const string Host = "priming.lambda.localhost";
    private const string SourceIp = "127.0.0.1";
    private const string UserAgent = "CloudNativeApp.LambdaHosting/priming";

    public static byte[] Create(LambdaEventSource source, LambdaPrimingRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = request.PathAndQuery.IndexOf('?');
        var path = query < 0 ? request.PathAndQuery : request.PathAndQuery[..query];
        var rawQuery = query < 0 ? "" : request.PathAndQuery[(query + 1)..];
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            switch (source)
            {
                case LambdaEventSource.HttpApi:
                    WriteHttpApi(writer, request, path, rawQuery);
                    break;
                case LambdaEventSource.RestApi:
                    WriteRestApi(writer, request, path, rawQuery);
                    break;
                default:
                    WriteAlb(writer, request, path, rawQuery);
                    break;
            }

            writer.WriteString("body"u8, request.Body);
            writer.WriteBoolean("isBase64Encoded"u8, false);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteHttpApi(Utf8JsonWriter writer, LambdaPrimingRequest request, string path, string rawQuery)
    {
        writer.WriteString("version"u8, "2.0");
        writer.WriteString("routeKey"u8, "$default");
        writer.WriteString("rawPath"u8, path);
        writer.WriteString("rawQueryString"u8, rawQuery);
        WriteHeaders(writer, "headers"u8, request, multiValue: false);
        writer.WriteStartObject("requestContext"u8);
        writer.WriteString("accountId"u8, "000000000000");
        writer.WriteString("apiId"u8, "priming");
        writer.WriteString("domainName"u8, Host);
        writer.WriteStartObject("http"u8);
        writer.WriteString("method"u8, request.Method);
        writer.WriteString("path"u8, path);
        writer.WriteString("protocol"u8, "HTTP/1.1");
        writer.WriteString("sourceIp"u8, SourceIp);
        writer.WriteString("userAgent"u8, UserAgent);
        writer.WriteEndObject();
        writer.WriteString("requestId"u8, "priming");
        writer.WriteString("routeKey"u8, "$default");
        writer.WriteString("stage"u8, "$default");
        writer.WriteNumber("timeEpoch"u8, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        writer.WriteEndObject();
    }

    private static void WriteRestApi(Utf8JsonWriter writer, LambdaPrimingRequest request, string path, string rawQuery)
    {
        writer.WriteString("resource"u8, "/{proxy+}");
        writer.WriteString("path"u8, path);
        writer.WriteString("httpMethod"u8, request.Method);
        WriteHeaders(writer, "headers"u8, request, multiValue: false);
        WriteHeaders(writer, "multiValueHeaders"u8, request, multiValue: true);
        WriteQuery(writer, "queryStringParameters"u8, rawQuery, decode: true, multiValue: false);
        WriteQuery(writer, "multiValueQueryStringParameters"u8, rawQuery, decode: true, multiValue: true);
        writer.WriteStartObject("pathParameters"u8);
        writer.WriteString("proxy"u8, path.TrimStart('/'));
        writer.WriteEndObject();
        writer.WriteStartObject("requestContext"u8);
        writer.WriteString("accountId"u8, "000000000000");
        writer.WriteString("apiId"u8, "priming");
        writer.WriteString("httpMethod"u8, request.Method);
        writer.WriteString("path"u8, path);
        writer.WriteString("protocol"u8, "HTTP/1.1");
        writer.WriteString("requestId"u8, "priming");
        writer.WriteString("resourcePath"u8, "/{proxy+}");
        writer.WriteString("stage"u8, "prod");
        writer.WriteStartObject("identity"u8);
        writer.WriteString("sourceIp"u8, SourceIp);
        writer.WriteString("userAgent"u8, UserAgent);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteAlb(Utf8JsonWriter writer, LambdaPrimingRequest request, string path, string rawQuery)
    {
        writer.WriteStartObject("requestContext"u8);
        writer.WriteStartObject("elb"u8);
        writer.WriteString("targetGroupArn"u8, "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/priming/0000000000000000");
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteString("httpMethod"u8, request.Method);
        writer.WriteString("path"u8, path);
        WriteQuery(writer, "queryStringParameters"u8, rawQuery, decode: false, multiValue: false);
        WriteHeaders(writer, "headers"u8, request, multiValue: false);
    }

    private static void WriteHeaders(Utf8JsonWriter writer, ReadOnlySpan<byte> property, LambdaPrimingRequest request, bool multiValue)
    {
        writer.WriteStartObject(property);
        WriteHeader(writer, "accept", "application/json", multiValue);
        WriteHeader(writer, "host", Host, multiValue);
        WriteHeader(writer, "user-agent", UserAgent, multiValue);
        WriteHeader(writer, "x-forwarded-for", SourceIp, multiValue);
        WriteHeader(writer, "x-forwarded-port", "443", multiValue);
        WriteHeader(writer, "x-forwarded-proto", "https", multiValue);
        if (request.Body is not null)
        {
            WriteHeader(writer, "content-type", request.ContentType, multiValue);
        }

        writer.WriteEndObject();
    }

    private static void WriteHeader(Utf8JsonWriter writer, string name, string value, bool multiValue)
    {
        if (multiValue)
        {
            writer.WriteStartArray(name);
            writer.WriteStringValue(value);
            writer.WriteEndArray();
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    /// <summary>REST API events carry the query decoded, ALB events as the client sent it.</summary>
    private static void WriteQuery(Utf8JsonWriter writer, ReadOnlySpan<byte> property, string rawQuery, bool decode, bool multiValue)
    {
        if (rawQuery.Length == 0)
        {
            if (decode)
            {
                writer.WriteNull(property);
            }
            else
            {
                writer.WriteStartObject(property);
                writer.WriteEndObject();
            }

            return;
        }

        writer.WriteStartObject(property);
        foreach (var group in rawQuery.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(pair => pair.Split('=', 2)).GroupBy(parts => parts[0], StringComparer.Ordinal))
        {
            var name = decode ? Uri.UnescapeDataString(group.Key) : group.Key;
            var values = group.Select(parts => parts.Length > 1 ? parts[1] : "").Select(value => decode ? Uri.UnescapeDataString(value) : value).ToList();
            if (multiValue)
            {
                writer.WriteStartArray(name);
                values.ForEach(writer.WriteStringValue);
                writer.WriteEndArray();
            }
            else
            {
                writer.WriteString(name, values[^1]);
            }
        }

        writer.WriteEndObject();
    }
}
