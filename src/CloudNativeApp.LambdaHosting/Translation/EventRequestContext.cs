namespace CloudNativeApp.LambdaHosting.Translation;

/// <summary>The requestContext fields the translators map; everything else in it is skipped.</summary>
internal sealed class EventRequestContext
{
    /// <summary>requestContext is an object.</summary>
    public bool IsObject { get; private set; }

    /// <summary>requestContext has an "elb" property (of any kind).</summary>
    public bool HasElb { get; private set; }

    public bool ElbIsObject { get; private set; }

    public EventValue HttpMethod { get; private set; }

    public EventValue Path { get; private set; }

    public EventValue Protocol { get; private set; }

    public EventValue DomainName { get; private set; }

    public EventValue RequestId { get; private set; }

    public EventValue Stage { get; private set; }

    /// <summary>requestContext.eventType or connectionId is present: a WebSocket API event (CONNECT, MESSAGE, DISCONNECT), not an HTTP request.</summary>
    public bool IsWebSocket { get; private set; }

    /// <summary>requestContext.http is an object (HTTP API, Function URLs).</summary>
    public bool HasHttp { get; private set; }

    public EventValue HttpMethodV2 { get; private set; }

    public EventValue HttpPath { get; private set; }

    public EventValue HttpProtocol { get; private set; }

    public EventValue HttpSourceIp { get; private set; }

    /// <summary>requestContext.identity.sourceIp (REST API).</summary>
    public EventValue IdentitySourceIp { get; private set; }

    /// <summary>requestContext.identity.clientCert.clientCertPem (REST API mutual TLS).</summary>
    public EventValue IdentityClientCertPem { get; private set; }

    /// <summary>requestContext.authorizer when it is an object: located, not read (claims are built only when asked for).</summary>
    public EventValue Authorizer { get; private set; }

    /// <summary>requestContext.identity when it names an IAM caller (identity.userArn is a string; REST API).</summary>
    public EventValue IamIdentity { get; private set; }

    /// <summary>requestContext.authentication.clientCert.clientCertPem (HTTP API mutual TLS).</summary>
    public EventValue AuthenticationClientCertPem { get; private set; }

    public void Clear()
    {
        IsObject = HasElb = ElbIsObject = HasHttp = IsWebSocket = false;
        HttpMethod = Path = Protocol = DomainName = RequestId = Stage = default;
        HttpMethodV2 = HttpPath = HttpProtocol = HttpSourceIp = default;
        IdentitySourceIp = IdentityClientCertPem = AuthenticationClientCertPem = Authorizer = IamIdentity = default;
    }

    /// <summary>Reads the value the reader is on; a repeated requestContext replaces the earlier one, as in a parsed document.</summary>
    public void Read(ref Utf8JsonReader reader)
    {
        Clear();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        IsObject = true;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = Field(ref reader);
            reader.Read();
            switch (field)
            {
                case ContextField.Other:
                    reader.Skip();
                    break;
                case ContextField.Http:
                    ReadHttp(ref reader);
                    break;
                case ContextField.Identity:
                    ReadIdentity(ref reader);
                    break;
                case ContextField.Authentication:
                    IdentityOrAuthenticationCertificate(ref reader, out var pem, out _, out _);
                    AuthenticationClientCertPem = pem;
                    break;
                case ContextField.Authorizer:
                    var authorizer = EventValue.ReadCurrent(ref reader);
                    Authorizer = authorizer.IsObject ? authorizer : default;
                    break;
                case ContextField.Elb:
                    HasElb = true;
                    ElbIsObject = reader.TokenType == JsonTokenType.StartObject;
                    reader.Skip();
                    break;
                case ContextField.HttpMethod: HttpMethod = EventValue.ReadCurrent(ref reader); break;
                case ContextField.Path: Path = EventValue.ReadCurrent(ref reader); break;
                case ContextField.Protocol: Protocol = EventValue.ReadCurrent(ref reader); break;
                case ContextField.DomainName: DomainName = EventValue.ReadCurrent(ref reader); break;
                case ContextField.RequestId: RequestId = EventValue.ReadCurrent(ref reader); break;
                case ContextField.Stage: Stage = EventValue.ReadCurrent(ref reader); break;
                case ContextField.WebSocket:
                    IsWebSocket = true;
                    reader.Skip();
                    break;
                default: break;
            }
        }
    }

    private static ContextField Field(ref Utf8JsonReader reader) =>
        reader.ValueIsEscaped ? Field(Encoding.UTF8.GetBytes(reader.GetString()!)) : Field(reader.ValueSpan);

    // By length first, as for the event's root: requestContext has a dozen or more properties.
    private static ContextField Field(ReadOnlySpan<byte> name) => name.Length switch
    {
        3 when name.SequenceEqual("elb"u8) => ContextField.Elb,
        4 when name.SequenceEqual("http"u8) => ContextField.Http,
        4 when name.SequenceEqual("path"u8) => ContextField.Path,
        5 when name.SequenceEqual("stage"u8) => ContextField.Stage,
        8 when name.SequenceEqual("identity"u8) => ContextField.Identity,
        8 when name.SequenceEqual("protocol"u8) => ContextField.Protocol,
        9 when name.SequenceEqual("eventType"u8) => ContextField.WebSocket,
        12 when name.SequenceEqual("connectionId"u8) => ContextField.WebSocket,
        9 when name.SequenceEqual("requestId"u8) => ContextField.RequestId,
        10 when name.SequenceEqual("domainName"u8) => ContextField.DomainName,
        10 when name.SequenceEqual("authorizer"u8) => ContextField.Authorizer,
        10 when name.SequenceEqual("httpMethod"u8) => ContextField.HttpMethod,
        14 when name.SequenceEqual("authentication"u8) => ContextField.Authentication,
        _ => ContextField.Other,
    };

    private void ReadHttp(ref Utf8JsonReader reader)
    {
        HttpMethodV2 = HttpPath = HttpProtocol = HttpSourceIp = default;
        HasHttp = reader.TokenType == JsonTokenType.StartObject;
        if (!HasHttp)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = reader.ValueTextEquals("method"u8) ? HttpField.Method
                : reader.ValueTextEquals("path"u8) ? HttpField.Path
                : reader.ValueTextEquals("protocol"u8) ? HttpField.Protocol
                : reader.ValueTextEquals("sourceIp"u8) ? HttpField.SourceIp
                : HttpField.Other;
            reader.Read();
            var value = EventValue.ReadCurrent(ref reader);
            switch (field)
            {
                case HttpField.Method: HttpMethodV2 = value; break;
                case HttpField.Path: HttpPath = value; break;
                case HttpField.Protocol: HttpProtocol = value; break;
                case HttpField.SourceIp: HttpSourceIp = value; break;
                default: break;
            }
        }
    }

    private void ReadIdentity(ref Utf8JsonReader reader)
    {
        var start = (int)reader.TokenStartIndex;
        IdentityOrAuthenticationCertificate(ref reader, out var pem, out var sourceIp, out var userArn);
        IdentityClientCertPem = pem;
        IdentitySourceIp = sourceIp;

        // The reader is on the identity object's closing brace when it has a userArn.
        IamIdentity = userArn ? new EventValue(JsonTokenType.StartObject, start, (int)reader.TokenStartIndex + 1 - start, IsEscaped: false) : default;
    }

    // identity (REST API) and authentication (HTTP API) both carry clientCert.clientCertPem; identity also sourceIp
    // and, for IAM callers, userArn.
    private static void IdentityOrAuthenticationCertificate(ref Utf8JsonReader reader, out EventValue clientCertPem, out EventValue sourceIp, out bool hasUserArn)
    {
        clientCertPem = default;
        sourceIp = default;
        hasUserArn = false;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("sourceIp"u8))
            {
                reader.Read();
                sourceIp = EventValue.ReadCurrent(ref reader);
            }
            else if (reader.ValueTextEquals("userArn"u8))
            {
                reader.Read();
                hasUserArn = reader.TokenType == JsonTokenType.String;
            }
            else if (reader.ValueTextEquals("clientCert"u8))
            {
                reader.Read();
                clientCertPem = ReadClientCertPem(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    private static EventValue ReadClientCertPem(ref Utf8JsonReader reader)
    {
        EventValue pem = default;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return pem;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isPem = reader.ValueTextEquals("clientCertPem"u8);
            reader.Read();
            var value = EventValue.ReadCurrent(ref reader);
            if (isPem)
            {
                pem = value;
            }
        }

        return pem;
    }

    private enum ContextField
    {
        Other,
        Http,
        Identity,
        Authentication,
        Elb,
        Authorizer,
        HttpMethod,
        Path,
        Protocol,
        DomainName,
        RequestId,
        Stage,
        WebSocket,
    }

    private enum HttpField
    {
        Other,
        Method,
        Path,
        Protocol,
        SourceIp,
    }
}
