using Amazon.Runtime;

namespace CloudNativeApp.Items.Storage;

/// <summary>
/// The DynamoDB client's HTTP connections, made droppable: the SDK pools its sockets inside an HttpClient it caches
/// for the client's lifetime, and a socket from before a SnapStart snapshot is dead (or, worse, shared by every
/// environment restored from it) afterwards. The client keeps its warm state (marshallers, signer, endpoint); only
/// the socket handler under it is replaced.
/// </summary>
internal sealed class DynamoDbConnections : HttpClientFactory, IDisposable
{
    private readonly ReplaceableHandler _handler = new();

    public override HttpClient CreateHttpClient(IClientConfig clientConfig)
    {
        ArgumentNullException.ThrowIfNull(clientConfig);
        _handler.Configure(clientConfig);

        // The SDK's own client waits clientConfig.Timeout per attempt; so does this one.
        return new HttpClient(_handler, disposeHandler: false) { Timeout = clientConfig.Timeout ?? TimeSpan.FromSeconds(100) };
    }

    // One HttpClient for the DynamoDB client, cached by the SDK and never disposed after a request.
    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => true;

    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;

    public override string? GetConfigUniqueString(IClientConfig clientConfig) => null;

    /// <summary>Closes every pooled connection; the next request opens a new one.</summary>
    public void DropConnections() => _handler.Replace();

    public void Dispose() => _handler.Dispose();

    private sealed class ReplaceableHandler : HttpMessageHandler
    {
        private Func<SocketsHttpHandler> _create = () => new SocketsHttpHandler();
        private HttpMessageInvoker? _current;

        public void Configure(IClientConfig config) => _create = () => new SocketsHttpHandler
        {
            ConnectTimeout = config.ConnectTimeout ?? Timeout.InfiniteTimeSpan,
            MaxConnectionsPerServer = config.MaxConnectionsPerServer ?? int.MaxValue,
            AllowAutoRedirect = config.AllowAutoRedirect,
        };

        public void Replace() => Interlocked.Exchange(ref _current, null)?.Dispose();

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var invoker = Volatile.Read(ref _current);
            if (invoker is null)
            {
                var created = new HttpMessageInvoker(_create(), disposeHandler: true);
                invoker = Interlocked.CompareExchange(ref _current, created, null) ?? created;
                if (invoker != created)
                {
                    created.Dispose();
                }
            }

            return ItemStoreTelemetry.OnAttempt(request) ? SendObservedAsync(invoker, request, cancellationToken) : invoker.SendAsync(request, cancellationToken);
        }

        private static async Task<HttpResponseMessage> SendObservedAsync(HttpMessageInvoker invoker, HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await invoker.SendAsync(request, cancellationToken);
            ItemStoreTelemetry.OnResponse(response);
            return response;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                Replace();
            }

            base.Dispose(disposing);
        }
    }
}

/// <summary>No DynamoDB socket in the snapshot, and none from before it used after a restore.</summary>
internal sealed class DynamoDbSnapshotHook(DynamoDbConnections connections) : ILambdaSnapshotHook
{
    public Task BeforeSnapshotAsync(CancellationToken cancellationToken)
    {
        connections.DropConnections();
        return Task.CompletedTask;
    }

    public Task AfterRestoreAsync(CancellationToken cancellationToken)
    {
        connections.DropConnections();
        return Task.CompletedTask;
    }
}
