using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CloudNativeApp.LambdaHosting.Http;

// IHttpConnectionFeature, ITlsConnectionFeature and IHttpAuthenticationFeature: what the event source says about
// the client, each parsed only when the app asks for it.
internal partial class LambdaHttpFeatures
{
    private ConnectionState _connection;

    public string ConnectionId
    {
        get => TraceIdentifier;
        set => TraceIdentifier = value;
    }

    public IPAddress? RemoteIpAddress
    {
        get
        {
            if (!_connection.RemoteIpParsed)
            {
                _connection.RemoteIpParsed = true;
                _connection.RemoteIpAddress = IPAddress.TryParse(_connection.RemoteIp, out var address) ? address : null;
            }

            return _connection.RemoteIpAddress;
        }
        set
        {
            _connection.RemoteIpParsed = true;
            _connection.RemoteIpAddress = value;
        }
    }

    public IPAddress? LocalIpAddress { get => _connection.LocalIpAddress; set => _connection.LocalIpAddress = value; }
    public int RemotePort { get => _connection.RemotePort; set => _connection.RemotePort = value; }
    public int LocalPort { get => _connection.LocalPort; set => _connection.LocalPort = value; }

    /// <summary>The certificate of mutual TLS.</summary>
    public X509Certificate2? ClientCertificate
    {
        get
        {
            if (!_connection.ClientCertificateParsed)
            {
                _connection.ClientCertificateParsed = true;
                _connection.ParsedCertificate = ParseCertificate(_connection.ClientCertificatePem);
                _connection.ClientCertificate = _connection.ParsedCertificate;
            }

            return _connection.ClientCertificate;
        }
        set
        {
            _connection.ClientCertificateParsed = true;
            _connection.ClientCertificate = value;
        }
    }

    public Task<X509Certificate2?> GetClientCertificateAsync(CancellationToken cancellationToken) => Task.FromResult(ClientCertificate);

    /// <summary>The authorizer's claims, made into the user on first use.</summary>
    public ClaimsPrincipal? User
    {
        get
        {
            if (!_connection.UserResolved)
            {
                _connection.UserResolved = true;
                _connection.User = _connection.CallerIdentity?.CreatePrincipal();
            }

            return _connection.User;
        }
        set
        {
            _connection.UserResolved = true;
            _connection.User = value;
        }
    }

    public void SetRemoteIp(string? remoteIp) => _connection.RemoteIp = remoteIp;

    public void SetClientCertificatePem(string? pem) => _connection.ClientCertificatePem = pem;

    /// <summary>What the event source vouched for about the caller (null: anonymous); valid while the request runs.</summary>
    public void SetCallerIdentity(ICallerIdentity? identity) => _connection.CallerIdentity = identity;

    private static X509Certificate2? ParseCertificate(string? pem)
    {
        if (string.IsNullOrWhiteSpace(pem))
        {
            return null;
        }

        try
        {
            return X509Certificate2.CreateFromPem(pem);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private void ResetConnection()
    {
        // Only the certificate parsed here is ours to dispose; one the app set belongs to the app.
        _connection.ParsedCertificate?.Dispose();
        _connection = new();
    }

    /// <summary>Everything about the client an invocation sets; <c>new()</c> is a client nobody has described yet.</summary>
    private struct ConnectionState()
    {
        public string? RemoteIp;
        public IPAddress? RemoteIpAddress;
        public bool RemoteIpParsed;
        public IPAddress? LocalIpAddress;
        public int RemotePort;
        public int LocalPort = 443;
        public string? ClientCertificatePem;
        public X509Certificate2? ClientCertificate;
        public X509Certificate2? ParsedCertificate;
        public bool ClientCertificateParsed;
        public ICallerIdentity? CallerIdentity;
        public ClaimsPrincipal? User;
        public bool UserResolved;
    }
}
