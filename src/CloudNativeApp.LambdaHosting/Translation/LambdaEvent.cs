namespace CloudNativeApp.LambdaHosting.Translation;

/// <summary>
/// The parts of an event the translators read, found in one forward pass over its bytes: sections nobody maps
/// (identity details, stage variables) are skipped without being materialised, and values (the authorizer's claims
/// too) stay byte locations until a translator or the app asks for them. The request body is unescaped into its
/// buffer as it is read, so a large body is scanned once. One per invocation in flight, reused for a later one.
/// </summary>
internal sealed class LambdaEvent
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64 };

    private ReadOnlyMemory<byte> _json;

    /// <summary>The event is a JSON object (anything else is not an HTTP event).</summary>
    public bool IsObject { get; private set; }

    public EventValue Version { get; private set; }

    public EventValue RouteKey { get; private set; }

    public EventValue HttpMethod { get; private set; }

    public EventValue Path { get; private set; }

    /// <summary>The REST API resource that matched ("/items/{id}", "/{proxy+}"); payload 1.0 only.</summary>
    public EventValue Resource { get; private set; }

    /// <summary>The values of the matched route's parameters, by name.</summary>
    public EventValue PathParameters { get; private set; }

    public EventValue RawPath { get; private set; }

    public EventValue RawQueryString { get; private set; }

    public EventValue Headers { get; private set; }

    public EventValue MultiValueHeaders { get; private set; }

    public EventValue QueryStringParameters { get; private set; }

    public EventValue MultiValueQueryStringParameters { get; private set; }

    public EventValue Cookies { get; private set; }

    /// <summary>An authorizer event's "type" (TOKEN or REQUEST).</summary>
    public EventValue Type { get; private set; }

    /// <summary>The REST API method an authorizer event is about (also HTTP API payload 1.0 authorizer events).</summary>
    public EventValue MethodArn { get; private set; }

    /// <summary>The HTTP API route a payload 2.0 authorizer event is about.</summary>
    public EventValue RouteArn { get; private set; }

    /// <summary>A TOKEN authorizer event's token (the header value the authorizer is configured with).</summary>
    public EventValue AuthorizationToken { get; private set; }

    /// <summary>An authorizer event's identity source values (HTTP API: an array; payload 1.0: a comma-joined string).</summary>
    public EventValue IdentitySource { get; private set; }

    /// <summary>
    /// The API Gateway authorizer event this is, or null for any other event. Checked before the HTTP sources: a REST
    /// REQUEST authorizer event has httpMethod and headers, and an HTTP API one has version "2.0", rawPath and
    /// requestContext.http, yet neither is a request to serve. Only an authorizer event has a "type" of TOKEN or
    /// REQUEST together with a methodArn or routeArn.
    /// </summary>
    public LambdaAuthorizerEventKind? AuthorizerKind
    {
        get
        {
            if (StringEquals(Type, "TOKEN"u8) && MethodArn.IsString)
            {
                return LambdaAuthorizerEventKind.RestApiToken;
            }

            if (!StringEquals(Type, "REQUEST"u8))
            {
                return null;
            }

            // HTTP API payload 1.0 authorizer events have methodArn and take an IAM policy, as REST API ones do.
            return RouteArn.IsString ? LambdaAuthorizerEventKind.HttpApiRequest
                : MethodArn.IsString ? LambdaAuthorizerEventKind.RestApiRequest
                : null;
        }
    }

    /// <summary>
    /// Loosely like an HTTP event (a requestContext, httpMethod or routeKey), for a forced event source; a WebSocket API
    /// event has a requestContext too but is no HTTP request.
    /// </summary>
    public bool IsHttpShaped =>
        (RequestContext.IsObject && !RequestContext.IsWebSocket) || HttpMethod.IsString || RouteKey.IsString;

    /// <summary>Bytes of the unescaped body in the body buffer, or -1 when the event has no string body.</summary>
    public int BodyLength { get; private set; }

    public bool IsBase64Encoded { get; private set; }

    public EventRequestContext RequestContext { get; } = new();

    private readonly AuthorizerIdentity _callerIdentity = new();

    /// <summary>Reads <paramref name="json"/>, copying a string "body" into <paramref name="body"/>.</summary>
    /// <exception cref="JsonException">The event is not valid JSON.</exception>
    public void Read(ReadOnlyMemory<byte> json, PooledBuffer body)
    {
        Clear();
        _json = json;
        var reader = new Utf8JsonReader(json.Span, ReaderOptions);
        if (!reader.Read())
        {
            throw new JsonException("The event is empty.");
        }

        if (reader.TokenType == JsonTokenType.StartObject)
        {
            IsObject = true;
            ReadRoot(ref reader, body);
        }
        else
        {
            reader.Skip();
        }

        // Anything after the event's value is invalid JSON (Read throws); whitespace is fine.
        reader.Read();
    }

    /// <summary>Forgets the event (its memory belongs to the caller).</summary>
    public void Clear()
    {
        _json = default;
        IsObject = false;
        Version = RouteKey = HttpMethod = Path = Resource = PathParameters = RawPath = RawQueryString = default;
        Headers = MultiValueHeaders = QueryStringParameters = MultiValueQueryStringParameters = Cookies = default;
        Type = MethodArn = RouteArn = AuthorizationToken = IdentitySource = default;
        BodyLength = -1;
        IsBase64Encoded = false;
        RequestContext.Clear();
        _callerIdentity.Clear();
    }

    /// <summary>
    /// What the authorizer (or IAM) said about the caller, read as <paramref name="source"/> states it, for the request
    /// features to make the user from when the app asks; null when the event carries no identity. Valid until
    /// <see cref="Clear"/>.
    /// </summary>
    public AuthorizerIdentity? CallerIdentity(LambdaEventSource source)
    {
        var context = RequestContext;
        if (!context.Authorizer.IsObject && !context.IamIdentity.IsObject)
        {
            return null;
        }

        _callerIdentity.Set(source, _json, context.Authorizer, context.IamIdentity);
        return _callerIdentity;
    }

    /// <summary>The string value, or null when the value is absent or not a string.</summary>
    public string? String(EventValue value)
    {
        if (!value.IsString)
        {
            return null;
        }

        var token = _json.Span.Slice(value.Start, value.Length);
        if (!value.IsEscaped)
        {
            return Encoding.UTF8.GetString(token[1..^1]);
        }

        var reader = new Utf8JsonReader(token);
        reader.Read();
        return reader.GetString();
    }

    /// <summary>True when the value is the string <paramref name="utf8"/>.</summary>
    public bool StringEquals(EventValue value, ReadOnlySpan<byte> utf8)
    {
        if (!value.IsString)
        {
            return false;
        }

        var reader = new Utf8JsonReader(_json.Span.Slice(value.Start, value.Length));
        reader.Read();
        return reader.ValueTextEquals(utf8);
    }

    /// <summary>The text of property <paramref name="name"/> of an object value, or null when it has none.</summary>
    public string? PropertyText(EventValue value, ReadOnlySpan<char> name)
    {
        if (!value.IsObject)
        {
            return null;
        }

        var section = Section(value);
        while (section.MoveToNextProperty())
        {
            if (name.SequenceEqual(section.Name))
            {
                return section.ValueText();
            }
        }

        return null;
    }

    /// <summary>A reader over an object or array value.</summary>
    public EventSectionReader Section(EventValue value) => new(_json.Span.Slice(value.Start, value.Length));

    private void ReadRoot(ref Utf8JsonReader reader, PooledBuffer body)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var property = Property(ref reader);
            reader.Read();
            switch (property)
            {
                case RootProperty.Body:
                    ReadBody(ref reader, body);
                    continue;
                case RootProperty.RequestContext:
                    RequestContext.Read(ref reader);
                    continue;
                case RootProperty.Other:
                    reader.Skip();
                    continue;
                default:
                    break;
            }

            var value = EventValue.ReadCurrent(ref reader);
            switch (property)
            {
                case RootProperty.Version: Version = value; break;
                case RootProperty.RouteKey: RouteKey = value; break;
                case RootProperty.HttpMethod: HttpMethod = value; break;
                case RootProperty.Path: Path = value; break;
                case RootProperty.Resource: Resource = value; break;
                case RootProperty.PathParameters: PathParameters = value; break;
                case RootProperty.RawPath: RawPath = value; break;
                case RootProperty.RawQueryString: RawQueryString = value; break;
                case RootProperty.Headers: Headers = value; break;
                case RootProperty.MultiValueHeaders: MultiValueHeaders = value; break;
                case RootProperty.QueryStringParameters: QueryStringParameters = value; break;
                case RootProperty.MultiValueQueryStringParameters: MultiValueQueryStringParameters = value; break;
                case RootProperty.Cookies: Cookies = value; break;
                case RootProperty.IsBase64Encoded: IsBase64Encoded = value.Type == JsonTokenType.True; break;
                case RootProperty.Type: Type = value; break;
                case RootProperty.MethodArn: MethodArn = value; break;
                case RootProperty.RouteArn: RouteArn = value; break;
                case RootProperty.AuthorizationToken: AuthorizationToken = value; break;
                case RootProperty.IdentitySource: IdentitySource = value; break;
                default: break;
            }
        }
    }

    // By length first: most names are ruled out without comparing bytes (this runs for every property of the event).
    private static RootProperty Property(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped)
        {
            return Property(Encoding.UTF8.GetBytes(reader.GetString()!));
        }

        return Property(reader.ValueSpan);
    }

    private static RootProperty Property(ReadOnlySpan<byte> name) => name.Length switch
    {
        4 when name.SequenceEqual("path"u8) => RootProperty.Path,
        4 when name.SequenceEqual("body"u8) => RootProperty.Body,
        4 when name.SequenceEqual("type"u8) => RootProperty.Type,
        7 when name.SequenceEqual("headers"u8) => RootProperty.Headers,
        7 when name.SequenceEqual("rawPath"u8) => RootProperty.RawPath,
        7 when name.SequenceEqual("version"u8) => RootProperty.Version,
        7 when name.SequenceEqual("cookies"u8) => RootProperty.Cookies,
        8 when name.SequenceEqual("routeKey"u8) => RootProperty.RouteKey,
        8 when name.SequenceEqual("resource"u8) => RootProperty.Resource,
        8 when name.SequenceEqual("routeArn"u8) => RootProperty.RouteArn,
        9 when name.SequenceEqual("methodArn"u8) => RootProperty.MethodArn,
        10 when name.SequenceEqual("httpMethod"u8) => RootProperty.HttpMethod,
        14 when name.SequenceEqual("requestContext"u8) => RootProperty.RequestContext,
        14 when name.SequenceEqual("rawQueryString"u8) => RootProperty.RawQueryString,
        14 when name.SequenceEqual("pathParameters"u8) => RootProperty.PathParameters,
        14 when name.SequenceEqual("identitySource"u8) => RootProperty.IdentitySource,
        15 when name.SequenceEqual("isBase64Encoded"u8) => RootProperty.IsBase64Encoded,
        17 when name.SequenceEqual("multiValueHeaders"u8) => RootProperty.MultiValueHeaders,
        18 when name.SequenceEqual("authorizationToken"u8) => RootProperty.AuthorizationToken,
        21 when name.SequenceEqual("queryStringParameters"u8) => RootProperty.QueryStringParameters,
        31 when name.SequenceEqual("multiValueQueryStringParameters"u8) => RootProperty.MultiValueQueryStringParameters,
        _ => RootProperty.Other,
    };

    private void ReadBody(ref Utf8JsonReader reader, PooledBuffer body)
    {
        body.Truncate(0);
        if (reader.TokenType != JsonTokenType.String)
        {
            BodyLength = -1;
            reader.Skip();
            return;
        }

        // The escaped length bounds the unescaped one.
        var length = reader.CopyString(body.GetSpan(reader.ValueSpan.Length));
        body.Advance(length);
        BodyLength = length;
    }

    private enum RootProperty
    {
        Other,
        Body,
        RequestContext,
        Version,
        RouteKey,
        HttpMethod,
        Path,
        Resource,
        PathParameters,
        RawPath,
        RawQueryString,
        Headers,
        MultiValueHeaders,
        QueryStringParameters,
        MultiValueQueryStringParameters,
        Cookies,
        IsBase64Encoded,
        Type,
        MethodArn,
        RouteArn,
        AuthorizationToken,
        IdentitySource,
    }
}
