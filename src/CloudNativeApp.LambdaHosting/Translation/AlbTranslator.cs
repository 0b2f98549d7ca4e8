using Microsoft.AspNetCore.WebUtilities;

namespace CloudNativeApp.LambdaHosting.Translation;

/// <summary>Application Load Balancer target events, in single-value or multi-value header mode.</summary>
internal sealed class AlbTranslator(LambdaHostingOptions options, ContentTypes contentTypes) : EventTranslator(options, contentTypes)
{
    public override LambdaEventSource Source => LambdaEventSource.Alb;

    public override bool CanTranslate(LambdaEvent lambdaEvent) => lambdaEvent.RequestContext.ElbIsObject;

    public override void ReadRequest(LambdaEvent lambdaEvent, LambdaHttpFeatures features)
    {
        features.Method = lambdaEvent.String(lambdaEvent.HttpMethod) ?? "GET";
        var rawPath = lambdaEvent.String(lambdaEvent.Path) ?? "/";
        features.Path = DecodePath(rawPath);

        // ALB passes query parameters exactly as the client sent them (still percent-encoded).
        features.QueryString = BuildQueryString(lambdaEvent, valuesAreEncoded: true);
        features.RawTarget = rawPath + features.QueryString;

        ReadSingleOrMultiValueHeaders(lambdaEvent, features);

        ReadHostAndScheme(features, domainName: null);

        // The load balancer appends the address it saw to X-Forwarded-For; earlier entries come from the client and
        // can be forged, so the last one is the remote address.
        var forwardedFor = features.RequestHeaders[ForwardedHeaders.For].ToString();
        var lastComma = forwardedFor.LastIndexOf(',');
        features.SetRemoteIp(lastComma < 0 ? forwardedFor.Trim() : forwardedFor[(lastComma + 1)..].Trim());
        ReadBody(lambdaEvent, features);
    }

    // The response uses the header mode of the request: the target group's setting, which the event shows.
    public override void WriteResponse(LambdaEvent lambdaEvent, LambdaHttpFeatures features, Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        WriteStatusCode(writer, features);
        WriteStatusDescription(writer, features.StatusCode, features.ReasonPhrase);
        if (lambdaEvent.MultiValueHeaders.IsObject)
        {
            WriteMultiValueHeaders(writer, features);
        }
        else
        {
            WriteSingleValueHeaders(writer, features);
        }

        WriteBody(writer, features);
        writer.WriteEndObject();
    }

    // "200 OK", written without building a string.
    private static void WriteStatusDescription(Utf8JsonWriter writer, int statusCode, string? reasonPhrase)
    {
        var reason = string.IsNullOrEmpty(reasonPhrase) ? ReasonPhrases.GetReasonPhrase(statusCode) : reasonPhrase;
        Span<byte> description = stackalloc byte[128];
        Utf8Formatter.TryFormat(statusCode, description, out var written);
        description[written++] = (byte)' ';
        var reasonLength = Encoding.UTF8.GetMaxByteCount(reason.Length) <= description.Length - written
            ? Encoding.UTF8.GetBytes(reason, description[written..])
            : 0;
        writer.WriteString("statusDescription"u8, description[..(written + reasonLength)].TrimEnd((byte)' '));
    }

    // Single-value mode has one value per name. Repeated headers are joined, except Set-Cookie (a joined cookie list
    // is unparseable): each cookie goes under a differently-cased name, which HTTP treats as the same header.
    private static void WriteSingleValueHeaders(Utf8JsonWriter writer, LambdaHttpFeatures features)
    {
        writer.WriteStartObject("headers"u8);
        foreach (var (name, values) in features.ResponseHeaders)
        {
            if (values.Count > 1 && string.Equals(name, HeaderNames.SetCookie, StringComparison.OrdinalIgnoreCase))
            {
                for (var i = 0; i < values.Count; i++)
                {
                    writer.WriteString(CaseVariant(name, i), values[i]);
                }

                continue;
            }

            WriteJoinedHeader(writer, name, values);
        }

        writer.WriteEndObject();
    }

    /// <summary>A distinct spelling of <paramref name="name"/> per <paramref name="index"/>: bit i of the index upper-cases letter i.</summary>
    internal static string CaseVariant(string name, int index)
    {
        return string.Create(name.Length, (name, index), static (span, state) =>
        {
            var (source, bits) = state;
            var letter = 0;
            for (var i = 0; i < source.Length; i++)
            {
                var c = char.ToLowerInvariant(source[i]);
                if (char.IsAsciiLetter(c))
                {
                    c = ((bits >> letter) & 1) == 1 ? char.ToUpperInvariant(c) : c;
                    letter++;
                }

                span[i] = c;
            }
        });
    }
}
