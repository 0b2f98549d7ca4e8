using System.Text.Json;

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

    /// <summary>requestContext.authentication.clientCert.clientCertPem (HTTP API mutual TLS).</summary>
    public EventValue AuthenticationClientCertPem { get; private set; }

    public void Clear()
    {
        IsObject = HasElb = ElbIsObject = HasHttp = false;
        HttpMethod = Path = Protocol = DomainName = RequestId = Stage = default;
        HttpMethodV2 = HttpPath = HttpProtocol = HttpSourceIp = default;
        IdentitySourceIp = IdentityClientCertPem = AuthenticationClientCertPem = default;
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
            if (reader.ValueTextEquals("http"u8))
            {
                reader.Read();
                ReadHttp(ref reader);
            }
            else if (reader.ValueTextEquals("identity"u8))
            {
                reader.Read();
                ReadIdentity(ref reader);
            }
            else if (reader.ValueTextEquals("authentication"u8))
            {
                reader.Read();
                IdentityOrAuthenticationCertificate(ref reader, out var pem, out _);
                AuthenticationClientCertPem = pem;
            }
            else if (reader.ValueTextEquals("elb"u8))
            {
                reader.Read();
                HasElb = true;
                ElbIsObject = reader.TokenType == JsonTokenType.StartObject;
                reader.Skip();
            }
            else
            {
                var name = Field(ref reader);
                reader.Read();
                var value = EventValue.ReadCurrent(ref reader);
                switch (name)
                {
                    case ContextField.HttpMethod: HttpMethod = value; break;
                    case ContextField.Path: Path = value; break;
                    case ContextField.Protocol: Protocol = value; break;
                    case ContextField.DomainName: DomainName = value; break;
                    case ContextField.RequestId: RequestId = value; break;
                    case ContextField.Stage: Stage = value; break;
                    default: break;
                }
            }
        }
    }

    private static ContextField Field(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("requestId"u8) ? ContextField.RequestId
        : reader.ValueTextEquals("domainName"u8) ? ContextField.DomainName
        : reader.ValueTextEquals("path"u8) ? ContextField.Path
        : reader.ValueTextEquals("httpMethod"u8) ? ContextField.HttpMethod
        : reader.ValueTextEquals("protocol"u8) ? ContextField.Protocol
        : reader.ValueTextEquals("stage"u8) ? ContextField.Stage
        : ContextField.Other;

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
            var name = reader.ValueTextEquals("method"u8) ? 1
                : reader.ValueTextEquals("path"u8) ? 2
                : reader.ValueTextEquals("protocol"u8) ? 3
                : reader.ValueTextEquals("sourceIp"u8) ? 4
                : 0;
            reader.Read();
            var value = EventValue.ReadCurrent(ref reader);
            switch (name)
            {
                case 1: HttpMethodV2 = value; break;
                case 2: HttpPath = value; break;
                case 3: HttpProtocol = value; break;
                case 4: HttpSourceIp = value; break;
                default: break;
            }
        }
    }

    private void ReadIdentity(ref Utf8JsonReader reader)
    {
        IdentityOrAuthenticationCertificate(ref reader, out var pem, out var sourceIp);
        IdentityClientCertPem = pem;
        IdentitySourceIp = sourceIp;
    }

    // identity (REST API) and authentication (HTTP API) both carry clientCert.clientCertPem; identity also sourceIp.
    private static void IdentityOrAuthenticationCertificate(ref Utf8JsonReader reader, out EventValue clientCertPem, out EventValue sourceIp)
    {
        clientCertPem = default;
        sourceIp = default;
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
        HttpMethod,
        Path,
        Protocol,
        DomainName,
        RequestId,
        Stage,
    }
}
