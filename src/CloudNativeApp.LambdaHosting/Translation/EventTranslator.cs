using System.Text.Unicode;
using Microsoft.AspNetCore.WebUtilities;

namespace CloudNativeApp.LambdaHosting.Translation;

/// <summary>
/// One HTTP event source: recognises its events, fills the request features from them and writes the response JSON
/// the source expects. Translators are shared by every invocation, so they keep no state of their own; what the
/// response needs from the request is read from the event again. Also what the sources share: headers, body, host
/// and scheme, path decoding, and the response body rules.
/// </summary>
internal abstract class EventTranslator(LambdaHostingOptions options, ContentTypes contentTypes)
{
    [ThreadStatic]
    private static StringBuilder? t_builder;

    public abstract LambdaEventSource Source { get; }

    protected LambdaHostingOptions Options { get; } = options;

    /// <summary>True when the event has this source's shape.</summary>
    public abstract bool CanTranslate(LambdaEvent lambdaEvent);

    /// <summary>Fills the request side of <paramref name="features"/> from the event.</summary>
    public abstract void ReadRequest(LambdaEvent lambdaEvent, LambdaHttpFeatures features);

    /// <summary>Writes the response object this source expects, for the request read from <paramref name="lambdaEvent"/>.</summary>
    public abstract void WriteResponse(LambdaEvent lambdaEvent, LambdaHttpFeatures features, Utf8JsonWriter writer);

    /// <summary>Headers as a name → string map (values may already be comma-joined; they are kept as sent).</summary>
    protected static void ReadSingleValueHeaders(LambdaEvent lambdaEvent, EventValue headers, LambdaHttpFeatures features)
    {
        if (!headers.IsObject)
        {
            return;
        }

        var section = lambdaEvent.Section(headers);
        while (section.MoveToNextProperty())
        {
            if (section.ValueText() is { } value)
            {
                features.AppendRequestHeader(section.Name, value);
            }
        }
    }

    /// <summary>
    /// REST API and ALB events carry the headers in multiValueHeaders or in headers (ALB by the target group's mode,
    /// hand-written REST events often only the latter); the multi-value map wins.
    /// </summary>
    protected static void ReadSingleOrMultiValueHeaders(LambdaEvent lambdaEvent, LambdaHttpFeatures features)
    {
        if (lambdaEvent.MultiValueHeaders.IsObject)
        {
            ReadMultiValueHeaders(lambdaEvent, lambdaEvent.MultiValueHeaders, features);
        }
        else
        {
            ReadSingleValueHeaders(lambdaEvent, lambdaEvent.Headers, features);
        }
    }

    /// <summary>Headers as a name → array map (REST API multiValueHeaders, ALB multi-value mode).</summary>
    private static void ReadMultiValueHeaders(LambdaEvent lambdaEvent, EventValue headers, LambdaHttpFeatures features)
    {
        var section = lambdaEvent.Section(headers);
        while (section.MoveToNextProperty())
        {
            if (section.ValueType != JsonTokenType.StartArray)
            {
                if (section.ValueText() is { } single)
                {
                    features.AppendRequestHeader(section.Name, single);
                }

                continue;
            }

            while (section.MoveToNextItem(out var value))
            {
                if (value is not null)
                {
                    features.AppendRequestHeader(section.Name, value);
                }
            }
        }
    }

    /// <summary>
    /// What both API Gateway payloads (REST API, HTTP API) keep in requestContext: the domain name, the caller's
    /// address, client certificate and identity, the request id; then the body. Headers must be read first.
    /// </summary>
    protected void ReadGatewayConnectionAndBody(LambdaEvent lambdaEvent, LambdaHttpFeatures features, EventValue sourceIp, EventValue clientCertPem)
    {
        var context = lambdaEvent.RequestContext;
        ReadHostAndScheme(features, lambdaEvent.String(context.DomainName));
        features.SetRemoteIp(lambdaEvent.String(sourceIp));
        features.SetClientCertificatePem(lambdaEvent.String(clientCertPem));
        features.SetFallbackTraceIdentifier(lambdaEvent.String(context.RequestId));
        features.SetCallerIdentity(lambdaEvent.CallerIdentity(Source));
        ReadBody(lambdaEvent, features);
    }

    /// <summary>Scheme from X-Forwarded-Proto, Host header from the domain name when the event has none, local port from X-Forwarded-Port.</summary>
    protected void ReadHostAndScheme(LambdaHttpFeatures features, string? domainName)
    {
        var headers = features.RequestHeaders;
        var proto = headers[ForwardedHeaders.Proto];
        features.Scheme = proto.Count > 0 && !string.IsNullOrEmpty(proto[0]) ? FirstListItem(proto[0]!) : Options.DefaultScheme;
        if (!headers.ContainsKey(HeaderNames.Host) && !string.IsNullOrEmpty(domainName))
        {
            headers.Host = domainName;
        }

        var port = headers[ForwardedHeaders.Port];
        features.LocalPort = port.Count > 0 && int.TryParse(FirstListItem(port[0]!), out var localPort)
            ? localPort
            : string.Equals(features.Scheme, "http", StringComparison.OrdinalIgnoreCase) ? 80 : 443;
    }

    private static string FirstListItem(string value)
    {
        var comma = value.IndexOf(',', StringComparison.Ordinal);
        return comma < 0 ? value.Trim() : value[..comma].Trim();
    }

    /// <summary>
    /// The body is already unescaped into the request buffer (see <see cref="LambdaEvent"/>); base64 is decoded in
    /// place, and Content-Length is made to agree with it. The method must be read first.
    /// </summary>
    /// <remarks>
    /// API Gateway and ALB drop Content-Length. A client sends "Content-Length: 0" with a POST, PUT or PATCH that has
    /// no content (RFC 9110 §8.6: when the method defines a meaning for enclosed content), so such a request gets it
    /// back; a bodiless GET, HEAD or DELETE gets none, as from a client.
    /// </remarks>
    protected static void ReadBody(LambdaEvent lambdaEvent, LambdaHttpFeatures features)
    {
        var length = Math.Max(lambdaEvent.BodyLength, 0);
        if (lambdaEvent.IsBase64Encoded && length > 0)
        {
            length = DecodeBase64InPlace(features.RequestBodyBuffer);
        }

        features.SetRequestBody(length);
        if (length > 0
            || features.RequestHeaders.ContainsKey(HeaderNames.ContentLength)
            || HttpMethods.IsPost(features.Method) || HttpMethods.IsPut(features.Method) || HttpMethods.IsPatch(features.Method))
        {
            features.RequestHeaders.ContentLength = length;
        }
    }

    private static int DecodeBase64InPlace(PooledBuffer buffer)
    {
        var status = Base64.DecodeFromUtf8InPlace(buffer.WrittenSpanForUpdate, out var decoded);
        if (status != OperationStatus.Done)
        {
            throw new LambdaFunctionException(LambdaErrorTypes.InvalidEvent, "The event's body is marked isBase64Encoded but is not valid base64.");
        }

        buffer.Truncate(decoded);
        return decoded;
    }

    /// <summary>Decodes a percent-encoded path the way Kestrel does (%2F stays encoded, so segments keep their meaning).</summary>
    protected static string DecodePath(string rawPath)
    {
        if (rawPath.Length == 0)
        {
            return "/";
        }

        return PathString.FromUriComponent(rawPath[0] == '/' ? rawPath : "/" + rawPath).Value ?? "/";
    }

    /// <summary>
    /// The query string from multiValueQueryStringParameters, or else queryStringParameters (REST API, ALB). REST API
    /// values arrive decoded and are encoded again so <c>Request.Query</c> decodes them back to exactly what the client
    /// sent; ALB values arrive as sent (<paramref name="valuesAreEncoded"/>).
    /// </summary>
    protected static string BuildQueryString(LambdaEvent lambdaEvent, bool valuesAreEncoded) =>
        lambdaEvent.MultiValueQueryStringParameters.IsObject
            ? BuildQueryString(lambdaEvent, lambdaEvent.MultiValueQueryStringParameters, multiValue: true, valuesAreEncoded)
            : BuildQueryString(lambdaEvent, lambdaEvent.QueryStringParameters, multiValue: false, valuesAreEncoded);

    private static string BuildQueryString(LambdaEvent lambdaEvent, EventValue parameters, bool multiValue, bool valuesAreEncoded)
    {
        if (!parameters.IsObject)
        {
            return "";
        }

        var builder = t_builder ??= new StringBuilder(256);
        builder.Clear();
        var section = lambdaEvent.Section(parameters);
        while (section.MoveToNextProperty())
        {
            if (multiValue && section.ValueType == JsonTokenType.StartArray)
            {
                while (section.MoveToNextItem(out var item))
                {
                    AppendParameter(builder, section.Name, item, valuesAreEncoded);
                }
            }
            else
            {
                AppendParameter(builder, section.Name, section.ValueText(), valuesAreEncoded);
            }
        }

        var query = builder.ToString();
        if (builder.Capacity > 8192)
        {
            t_builder = null;
        }

        return query;
    }

    private static void AppendParameter(StringBuilder builder, string name, string? value, bool encoded)
    {
        if (value is null)
        {
            return;
        }

        builder.Append(builder.Length == 0 ? '?' : '&');
        builder.Append(encoded ? name : Uri.EscapeDataString(name));
        builder.Append('=');
        builder.Append(encoded ? value : Uri.EscapeDataString(value));
    }

    /// <summary>"?" + the raw query, or empty.</summary>
    protected static string PrefixQuery(string? rawQuery) =>
        string.IsNullOrEmpty(rawQuery) ? "" : rawQuery[0] == '?' ? rawQuery : "?" + rawQuery;

    protected static void WriteStatusCode(Utf8JsonWriter writer, LambdaHttpFeatures features) =>
        writer.WriteNumber("statusCode"u8, features.StatusCode);

    /// <summary>
    /// The body as a JSON string when it is text (by content type, see <see cref="ContentTypes"/>) and valid UTF-8,
    /// otherwise base64. HEAD, 204 and 304 responses never carry one. An empty body is "".
    /// </summary>
    protected void WriteBody(Utf8JsonWriter writer, LambdaHttpFeatures features)
    {
        var body = features.ResponseBuffer.WrittenSpan;
        if (body.IsEmpty
            || HttpMethods.IsHead(features.Method)
            || features.StatusCode is StatusCodes.Status204NoContent or StatusCodes.Status304NotModified)
        {
            writer.WriteString("body"u8, ""u8);
            writer.WriteBoolean("isBase64Encoded"u8, false);
            return;
        }

        IHeaderDictionary headers = features.ResponseHeaders;
        var isText = contentTypes.IsText(headers.ContentType.ToString(), headers.ContainsKey(HeaderNames.ContentEncoding)) && Utf8.IsValid(body);
        if (isText)
        {
            writer.WriteString("body"u8, body);
        }
        else
        {
            writer.WriteBase64String("body"u8, body);
        }

        writer.WriteBoolean("isBase64Encoded"u8, !isText);
    }

    /// <summary>
    /// Headers as name → array of values (REST API, ALB multi-value mode); with <paramref name="nullContentTypeWhenUnset"/>
    /// a response without Content-Type says so with <c>"Content-Type": [null]</c>.
    /// </summary>
    protected static void WriteMultiValueHeaders(Utf8JsonWriter writer, LambdaHttpFeatures features, bool nullContentTypeWhenUnset = false)
    {
        writer.WriteStartObject("multiValueHeaders"u8);
        var hasContentType = false;
        foreach (var (name, values) in features.ResponseHeaders)
        {
            hasContentType |= string.Equals(name, HeaderNames.ContentType, StringComparison.OrdinalIgnoreCase);
            writer.WriteStartArray(name);
            foreach (var value in values)
            {
                writer.WriteStringValue(value);
            }

            writer.WriteEndArray();
        }

        if (nullContentTypeWhenUnset && !hasContentType)
        {
            writer.WriteStartArray(HeaderNames.ContentType);
            writer.WriteNullValue();
            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    /// <summary>Headers as name → one value; repeated values are joined with ", " (valid for every list header).</summary>
    protected static void WriteJoinedHeader(Utf8JsonWriter writer, string name, Microsoft.Extensions.Primitives.StringValues values)
    {
        if (values.Count == 1)
        {
            writer.WriteString(name, values[0]);
        }
        else
        {
            writer.WriteString(name, string.Join(", ", values.ToArray()));
        }
    }
}

/// <summary>The X-Forwarded-* names (not in HeaderNames).</summary>
internal static class ForwardedHeaders
{
    public const string For = "X-Forwarded-For";
    public const string Proto = "X-Forwarded-Proto";
    public const string Port = "X-Forwarded-Port";
}
