namespace CloudNativeApp.LambdaHosting.Tests.Runtime;

/// <summary>
/// An ASP.NET Core app served by the Lambda server from a local Runtime API over real HTTP (the emulator on a free
/// loopback port), so the server's own HTTP client does the talking.
/// </summary>
internal sealed class LambdaFunction : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private LambdaFunction(LambdaRuntimeApiServer api, WebApplication app, CapturingLoggerProvider logs)
    {
        Api = api;
        App = app;
        Logs = logs;
    }

    public LambdaRuntimeApiServer Api { get; }

    public WebApplication App { get; }

    public CapturingLoggerProvider Logs { get; }

    public static async Task<LambdaFunction> StartAsync(
        Action<WebApplication> map,
        Action<IServiceCollection>? configureServices = null,
        LambdaRuntimeApiOptions? apiOptions = null,
        bool waitForPolling = true)
    {
        var api = await LambdaRuntimeApiServer.StartAsync(apiOptions);
        try
        {
            // The empty builder reads no configuration files, so no file watchers pile up across tests.
            var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
            builder.Services.AddRoutingCore();
            builder.Services.AddLambdaServer(api.RuntimeApiAddress);
            var logs = new CapturingLoggerProvider();
            builder.Logging.AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
            configureServices?.Invoke(builder.Services);
            var app = builder.Build();
            map(app);
            using var timeout = new CancellationTokenSource(StartTimeout);
            await app.StartAsync(timeout.Token);
            if (waitForPolling)
            {
                await api.WaitForFunctionAsync(timeout.Token);
            }

            return new LambdaFunction(api, app, logs);
        }
        catch
        {
            await api.DisposeAsync();
            throw;
        }
    }

    public Task<InvocationOutcome> InvokeAsync(byte[] eventJson, TimeSpan? timeout = null) => InvokeAsync(new InvocationRequest(eventJson) { Timeout = timeout });

    public async Task<InvocationOutcome> InvokeAsync(InvocationRequest request)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        return await Api.InvokeAsync(request, timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            await App.StopAsync(timeout.Token);
        }

        await App.DisposeAsync();
        await Api.DisposeAsync();
    }
}

/// <summary>Keeps every log entry with the scopes active when it was written.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public ConcurrentQueue<CapturedLog> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => provider._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scopes = new List<KeyValuePair<string, object?>>();
            provider._scopes.ForEachScope(
                static (scope, list) =>
                {
                    if (scope is IEnumerable<KeyValuePair<string, object?>> values)
                    {
                        list.AddRange(values);
                    }
                },
                scopes);
            provider.Entries.Enqueue(new CapturedLog(category, logLevel, formatter(state, exception), exception, scopes));
        }
    }
}

internal sealed record CapturedLog(string Category, LogLevel Level, string Message, Exception? Exception, IReadOnlyList<KeyValuePair<string, object?>> Scopes)
{
    public object? Scope(string key) => Scopes.FirstOrDefault(pair => pair.Key == key).Value;
}
