using System.Text.Json;
using CloudNativeApp.LambdaHosting.Http;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace CloudNativeApp.LambdaHosting.Translation;

/// <summary>API Gateway HTTP API payload format 2.0, and Lambda Function URLs (the same shape without a route key).</summary>
internal sealed class ApiGatewayV2Translator(LambdaHostingOptions options, ContentTypes contentTypes) : EventTranslator(options, contentTypes)
{
    public override LambdaEventSource Source => LambdaEventSource.ApiGatewayV2;

    public override bool CanTranslate(JsonElement root) =>
        root.String("version"u8) == "2.0"
        || (root.Object("requestContext"u8).Object("http"u8).ValueKind == JsonValueKind.Object && root.Property("rawPath"u8).ValueKind == JsonValueKind.String);

    public override void ReadRequest(JsonElement root, LambdaHttpFeatures features)
    {
        var context = root.Object("requestContext"u8);
        var http = context.Object("http"u8);
        features.RequestContext = context;
        features.Method = http.String("method"u8) ?? "GET";
        features.Protocol = http.String("protocol"u8) ?? "HTTP/1.1";

        // With a named stage the raw path starts with it ("/beta/items"); the stage becomes PathBase.
        var rawPath = root.String("rawPath"u8) ?? http.String("path"u8) ?? "/";
        var stage = context.String("stage"u8);
        var rawPathBase = "";
        if (!string.IsNullOrEmpty(stage) && stage != "$default"
            && rawPath.Length > stage.Length && rawPath[0] == '/'
            && rawPath.AsSpan(1).StartsWith(stage, StringComparison.Ordinal)
            && (rawPath.Length == stage.Length + 1 || rawPath[stage.Length + 1] == '/'))
        {
            rawPathBase = rawPath[..(stage.Length + 1)];
            rawPath = rawPath[(stage.Length + 1)..];
        }

        features.PathBase = rawPathBase.Length == 0 ? "" : DecodePath(rawPathBase);
        features.Path = DecodePath(rawPath);
        features.QueryString = PrefixQuery(root.String("rawQueryString"u8));
        features.RawTarget = rawPathBase + (rawPath.Length == 0 ? "/" : rawPath) + features.QueryString;

        // Repeated headers arrive comma-joined; they stay one value, as Kestrel would present a comma-joined line
        // (GetCommaSeparatedValues splits and trims them).
        ReadSingleValueHeaders(root.Object("headers"u8), features);
        ReadCookies(root.Property("cookies"u8), features);
        ReadHostAndScheme(features, context.String("domainName"u8));
        features.SetRemoteIp(http.String("sourceIp"u8));
        features.SetClientCertificatePem(context.Object("authentication"u8).Object("clientCert"u8).String("clientCertPem"u8));
        features.SetFallbackTraceIdentifier(context.String("requestId"u8));
        ReadBody(root, features);
    }

    private static void ReadCookies(JsonElement cookies, LambdaHttpFeatures features)
    {
        if (cookies.ValueKind != JsonValueKind.Array || cookies.GetArrayLength() == 0)
        {
            return;
        }

        if (cookies.GetArrayLength() == 1)
        {
            features.RequestHeaders.Cookie = cookies[0].GetString();
            return;
        }

        var values = new List<string>(cookies.GetArrayLength());
        foreach (var cookie in cookies.EnumerateArray())
        {
            if (cookie.GetString() is { Length: > 0 } value)
            {
                values.Add(value);
            }
        }

        features.RequestHeaders.Cookie = string.Join("; ", values);
    }

    // Set-Cookie goes to "cookies" (the headers map could carry only one); other repeated headers are joined.
    public override void WriteResponse(LambdaHttpFeatures features, Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        WriteStatusCode(writer, features);
        writer.WriteStartObject("headers"u8);
        StringValues setCookies = default;
        foreach (var (name, values) in features.ResponseHeaders)
        {
            if (string.Equals(name, HeaderNames.SetCookie, StringComparison.OrdinalIgnoreCase))
            {
                setCookies = values;
                continue;
            }

            WriteJoinedHeader(writer, name, values);
        }

        writer.WriteEndObject();
        if (setCookies.Count > 0)
        {
            writer.WriteStartArray("cookies"u8);
            foreach (var cookie in setCookies)
            {
                writer.WriteStringValue(cookie);
            }

            writer.WriteEndArray();
        }

        WriteBody(writer, features);
        writer.WriteEndObject();
    }
}
