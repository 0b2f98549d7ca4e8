using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;

namespace CloudNativeApp.LambdaRuntimeApi;

/// <summary>
/// A local Lambda Runtime API (2018-06-01) over real HTTP on Kestrel. Point a function's
/// <c>AWS_LAMBDA_RUNTIME_API</c> at <see cref="RuntimeApiAddress"/>, then invoke it with <see cref="InvokeAsync(InvocationRequest, CancellationToken)"/>
/// or over HTTP through the Invoke API endpoint (<c>POST /2015-03-31/functions/function/invocations</c>).
/// </summary>
/// <example>
/// <code>
/// await using var api = await LambdaRuntimeApiServer.StartAsync();
/// // start the function with AWS_LAMBDA_RUNTIME_API=api.RuntimeApiAddress
/// var outcome = await api.InvokeAsync("""{"Number1":10,"Number2":20}""");
/// </code>
/// </example>
public sealed class LambdaRuntimeApiServer : IAsyncDisposable
{
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(5);

    private readonly WebApplication app;
    private readonly InvocationBroker broker;
    private readonly RuntimeApiTraffic traffic;
    private readonly SnapshotState snapshot;
    private int disposed;

    private LambdaRuntimeApiServer(WebApplication app, LambdaRuntimeApiOptions options, Uri baseAddress)
    {
        this.app = app;
        broker = app.Services.GetRequiredService<InvocationBroker>();
        traffic = app.Services.GetRequiredService<RuntimeApiTraffic>();
        snapshot = app.Services.GetRequiredService<SnapshotState>();
        Options = options;
        BaseAddress = baseAddress;
    }

    public LambdaRuntimeApiOptions Options { get; }

    /// <summary>The server's root, e.g. <c>http://127.0.0.1:43117/</c>.</summary>
    public Uri BaseAddress { get; }

    public int Port => BaseAddress.Port;

    /// <summary><c>host:port</c>, the value of <c>AWS_LAMBDA_RUNTIME_API</c> for the function.</summary>
    public string RuntimeApiAddress => $"{BaseAddress.Host}:{BaseAddress.Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The Invoke API endpoint for this function, for curl or an HTTP client.</summary>
    public Uri InvokeEndpoint => new(BaseAddress, $"2015-03-31/functions/{Uri.EscapeDataString(Options.FunctionName)}/invocations");

    /// <summary>Invocations handed to the function by <c>/next</c> so far.</summary>
    public long InvocationsServed => broker.Served;

    /// <summary>Invocations that ended (response, error, timeout, init failure) so far.</summary>
    public long InvocationsCompleted => broker.Completed;

    /// <summary>Invocations queued that no function has taken yet.</summary>
    public int PendingInvocations => broker.Queued;

    /// <summary>Invocations a function has taken and not yet answered.</summary>
    public int InFlightInvocations => broker.InFlight;

    /// <summary><c>/next</c> requests currently waiting for an invocation (a function that is up and idle).</summary>
    public int WaitingForNext => broker.WaitingForNext;

    /// <summary>The most <c>/next</c> polls that were waiting at the same time so far.</summary>
    public int MostConcurrentPolls => traffic.MostConcurrentPolls;

    /// <summary>The longest a connection took from posting a result to polling <c>/next</c> again.</summary>
    public TimeSpan LongestRepollGap => traffic.LongestRepollGap;

    /// <summary>SnapStart: <c>/next</c> polls made before the restore (a runtime must make none).</summary>
    public int PollsBeforeRestore => traffic.PollsBeforeRestore;

    /// <summary>SnapStart: requests after the restore on a connection opened before it (a socket from the snapshot).</summary>
    public int RequestsOnSnapshotConnections => traffic.RequestsOnSnapshotConnections;

    /// <summary>SnapStart: what the function posted to <c>/restore/error</c>, oldest first.</summary>
    public IReadOnlyCollection<InitError> RestoreErrors => [.. snapshot.RestoreErrors];

    /// <summary>SnapStart: completes when the function waits on <c>/restore/next</c>, where Lambda takes the snapshot.</summary>
    public Task WaitForSnapshotAsync(CancellationToken cancellationToken = default) => snapshot.SnapshotReady.WaitAsync(cancellationToken);

    /// <summary>SnapStart: "restores" the function: <c>/restore/next</c> answers (see <see cref="LambdaRuntimeApiOptions.RestoreAnswer"/>).</summary>
    public void Restore() => snapshot.Restore();

    /// <summary>Every init error posted so far, oldest first.</summary>
    public IReadOnlyCollection<InitError> InitErrors => broker.InitErrors;

    public static async Task<LambdaRuntimeApiServer> StartAsync(LambdaRuntimeApiOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new LambdaRuntimeApiOptions();

        // The empty builder reads no configuration files (no file watchers) and registers only what is used here.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(LambdaRuntimeApiServer).Assembly.GetName().Name,
        });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(options.ListenAddress, options.Port);
            kestrel.AddServerHeader = false;
            // Bodies are limited per endpoint to Lambda's payload limit, with Lambda's error documents.
            kestrel.Limits.MaxRequestBodySize = null;
        });
        builder.Services.AddRoutingCore();
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<InvocationBroker>();
        builder.Services.AddSingleton<RuntimeApiTraffic>();
        builder.Services.AddSingleton<SnapshotState>();
        options.ConfigureLogging?.Invoke(builder.Logging);

        var app = builder.Build();
        var traffic = app.Services.GetRequiredService<RuntimeApiTraffic>();
        app.Use((context, next) => traffic.TrackAsync(context, next, options.SnapStart));
        app.MapRuntimeApi();
        app.MapRestoreApi();
        app.MapInvokeApi();
        await app.StartAsync(cancellationToken);

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new LambdaRuntimeApiServer(app, options, new Uri(address.EndsWith('/') ? address : address + "/"));
    }

    public Task<InvocationOutcome> InvokeAsync(string eventJson, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        InvokeAsync(new InvocationRequest(Encoding.UTF8.GetBytes(eventJson)) { Timeout = timeout }, cancellationToken);

    public Task<InvocationOutcome> InvokeAsync(ReadOnlyMemory<byte> eventJson, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        InvokeAsync(new InvocationRequest(eventJson) { Timeout = timeout }, cancellationToken);

    /// <summary>
    /// Queues the invocation and waits for its outcome: the function's response, the error it posted, a timeout at
    /// its deadline, or the init error it reported instead of taking it. Cancelling withdraws a queued invocation;
    /// one the function already took runs on, as in Lambda.
    /// </summary>
    public async Task<InvocationOutcome> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);

        var invocation = broker.Enqueue(request);
        try
        {
            return await invocation.Outcome.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            broker.Abandon(invocation, cancellationToken);
            throw;
        }
    }

    /// <summary>Queues an invocation without waiting (like an <c>Event</c> invocation) and returns its request id.</summary>
    public string Enqueue(InvocationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        return broker.Enqueue(request).RequestId;
    }

    /// <summary>The outcome of an invocation queued by any caller (the Invoke API's <c>X-Amzn-RequestId</c>), once it ends.</summary>
    public Task<InvocationOutcome> WaitForOutcomeAsync(string requestId, CancellationToken cancellationToken = default) =>
        broker.Get(requestId) is { } invocation
            ? invocation.Outcome.WaitAsync(cancellationToken)
            : throw new ArgumentException($"No invocation {requestId} is known.", nameof(requestId));

    /// <summary>Completes with the first init error the function posts.</summary>
    public Task<InitError> InitErrorAsync(CancellationToken cancellationToken = default) => broker.FirstInitError.WaitAsync(cancellationToken);

    /// <summary>Completes once a function is polling <c>/next</c>, i.e. it has started and is idle.</summary>
    public async Task WaitForFunctionAsync(CancellationToken cancellationToken = default)
    {
        while (broker.WaitingForNext == 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        // Stopping first aborts the long polls, so the function sees the endpoint go away rather than hang.
        using (var timeout = new CancellationTokenSource(ShutdownTimeout))
        {
            await app.StopAsync(timeout.Token);
        }

        broker.Dispose();
        await app.DisposeAsync();
    }
}
