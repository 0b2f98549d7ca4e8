using Microsoft.Extensions.Primitives;

namespace CloudNativeApp.LambdaHosting.Translation;

/// <summary>API Gateway HTTP API payload format 2.0, and Lambda Function URLs (the same shape without a route key).</summary>
internal sealed class HttpApiTranslator(LambdaHostingOptions options, ContentTypes contentTypes) : EventTranslator(options, contentTypes)
{
    public override LambdaEventSource Source => LambdaEventSource.HttpApi;

    public override bool CanTranslate(LambdaEvent lambdaEvent) =>
        lambdaEvent.StringEquals(lambdaEvent.Version, "2.0"u8)
        || (lambdaEvent.RequestContext.HasHttp && lambdaEvent.RawPath.IsString);

    public override void ReadRequest(LambdaEvent lambdaEvent, LambdaHttpFeatures features)
    {
        var context = lambdaEvent.RequestContext;
        features.Method = lambdaEvent.String(context.HttpMethodV2) ?? "GET";
        features.Protocol = lambdaEvent.String(context.HttpProtocol) ?? "HTTP/1.1";

        var rawPath = lambdaEvent.String(lambdaEvent.RawPath) ?? lambdaEvent.String(context.HttpPath) ?? "/";
        var prefixLength = RoutePrefixLength(lambdaEvent, rawPath);
        var rawPathBase = ClientPrefix(lambdaEvent, rawPath[..prefixLength]);
        rawPath = rawPath[prefixLength..];
        features.PathBase = rawPathBase.Length == 0 ? "" : DecodePath(rawPathBase);
        features.Path = DecodePath(rawPath);
        features.QueryString = PrefixQuery(lambdaEvent.String(lambdaEvent.RawQueryString));
        features.RawTarget = rawPathBase + (rawPath.Length == 0 ? "/" : rawPath) + features.QueryString;

        // Repeated headers arrive comma-joined; they stay one value, as Kestrel would present a comma-joined line
        // (GetCommaSeparatedValues splits and trims them).
        ReadSingleValueHeaders(lambdaEvent, lambdaEvent.Headers, features);
        ReadCookies(lambdaEvent, features);
        ReadGatewayConnectionAndBody(lambdaEvent, features, context.HttpSourceIp, context.AuthenticationClientCertPem);
    }

    // What leads the route in rawPath: with a named stage the raw path starts with it ("/beta/items"). The route is
    // the routeKey's path with pathParameters filled in ("GET /items/{id}"); the catch-all "$default" route names
    // none, and then only the stage is looked for.
    private static int RoutePrefixLength(LambdaEvent lambdaEvent, string rawPath)
    {
        var routeKey = lambdaEvent.String(lambdaEvent.RouteKey);
        var space = routeKey?.IndexOf(' ', StringComparison.Ordinal) ?? -1;
        if (space > 0 && RouteTemplate.PrefixLength(lambdaEvent, rawPath, routeKey![(space + 1)..]) is >= 0 and var routePrefix)
        {
            return routePrefix;
        }

        var context = lambdaEvent.RequestContext;
        var stage = lambdaEvent.StringEquals(context.Stage, "$default"u8) ? null : lambdaEvent.String(context.Stage);
        return StageSegmentLength(rawPath, stage);
    }

    /// <summary>The length of "/stage" when <paramref name="rawPath"/> starts with that segment, else 0.</summary>
    private static int StageSegmentLength(string rawPath, string? stage) =>
        !string.IsNullOrEmpty(stage)
        && rawPath.Length > stage.Length && rawPath[0] == '/'
        && rawPath.AsSpan(1).StartsWith(stage, StringComparison.Ordinal)
        && (rawPath.Length == stage.Length + 1 || rawPath[stage.Length + 1] == '/')
            ? stage.Length + 1
            : 0;

    // The API Gateway docs (HTTP API Lambda integrations, "Payload format differences"): with an API mapping on a
    // custom domain, rawPath does not carry the mapping's path, so the client's prefix there cannot be known from a
    // 2.0 event (payload 1.0's "path" has it). A named stage's segment in rawPath is part of the client's URL only on
    // the execute-api domain: behind a custom domain the client never typed it, so it stays out of PathBase.
    private static string ClientPrefix(LambdaEvent lambdaEvent, string rawPrefix)
    {
        var context = lambdaEvent.RequestContext;
        return rawPrefix.Length > 0
            && lambdaEvent.String(context.DomainName) is { } domain
            && !domain.Contains(".execute-api.", StringComparison.OrdinalIgnoreCase)
                ? rawPrefix[StageSegmentLength(rawPrefix, lambdaEvent.String(context.Stage))..]
                : rawPrefix;
    }

    // Cookies arrive as an array, one "name=value" each; the Cookie header joins them with "; ".
    private static void ReadCookies(LambdaEvent lambdaEvent, LambdaHttpFeatures features)
    {
        if (!lambdaEvent.Cookies.IsArray)
        {
            return;
        }

        var section = lambdaEvent.Section(lambdaEvent.Cookies);
        string? first = null;
        List<string>? values = null;
        var count = 0;
        while (section.MoveToNextItem(out var cookie))
        {
            count++;
            if (count == 1)
            {
                first = cookie;
                continue;
            }

            values ??= [];
            if (count == 2 && first is { Length: > 0 })
            {
                values.Add(first);
            }

            if (cookie is { Length: > 0 })
            {
                values.Add(cookie);
            }
        }

        if (count == 1)
        {
            features.RequestHeaders.Cookie = first;
        }
        else if (values is not null)
        {
            features.RequestHeaders.Cookie = string.Join("; ", values);
        }
    }

    public override void WriteResponse(LambdaEvent lambdaEvent, LambdaHttpFeatures features, Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        WriteResponseHead(features, writer);
        WriteBody(writer, features);
        writer.WriteEndObject();
    }

    /// <summary>
    /// statusCode, headers and cookies: the response without its body, also the prelude of a streamed one. Set-Cookie
    /// goes to "cookies" (the headers map could carry only one); other repeated headers are joined.
    /// </summary>
    public static void WriteResponseHead(LambdaHttpFeatures features, Utf8JsonWriter writer)
    {
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
    }
}
