namespace CloudNativeApp.Lambda.EndToEnd.Tests;

/// <summary>
/// SIGTERM (what Lambda, ECS and Kubernetes send before killing a process) lets the request in flight finish: it is
/// held up by a frozen DynamoDB when the signal arrives, gets its 201 once DynamoDB answers, and the process exits 0.
/// </summary>
[Collection(UsesPublishedApp.Name)]
public sealed class GracefulShutdownTests(PublishedApp app, ITestOutputHelper output) : IAsyncLifetime
{
    // The store waits this long per call: long enough to outlast the time dynalite is frozen.
    private const int StoreTimeoutSeconds = 20;

    // How long dynalite stays frozen after SIGTERM, so the app is visibly waiting on it while shutting down.
    private static readonly TimeSpan FrozenAfterTerminate = TimeSpan.FromSeconds(2);

    private DynaliteServer dynalite = null!;
    private string tableName = null!;

    public async Task InitializeAsync()
    {
        dynalite = await DynaliteServer.StartNewAsync();
        tableName = $"e2e-shutdown-{Guid.NewGuid():N}";
    }

    public async Task DisposeAsync() => await dynalite.DisposeAsync();

    [Fact]
    public async Task Kestrel_finishes_the_request_in_flight_and_exits_0()
    {
        var environment = Environment();
        // Dummy credentials, as a container's task role would provide real ones; dynalite does not check them.
        environment["AWS_ACCESS_KEY_ID"] = "AKIAEXAMPLEEXAMPLE00";
        environment["AWS_SECRET_ACCESS_KEY"] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        await using var kestrel = await KestrelAppProcess.StartAsync(app.Bootstrap, environment);
        using var client = new HttpClient { BaseAddress = kestrel.BaseAddress, Timeout = PublishedFunction.Patience };
        using var warmUp = await client.GetAsync(new Uri("/items", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, warmUp.StatusCode);

        var name = $"kestrel {Guid.NewGuid():N}";
        Task<HttpResponseMessage> posting;
        Stopwatch sinceThaw;
        Signals.Freeze(dynalite.ProcessId);
        try
        {
            using var body = new StringContent($$"""{"name":"{{name}}","category":"shutdown"}""", Encoding.UTF8, "application/json");
            posting = client.PostAsync(new Uri("/items", UriKind.Relative), body);
            await WaitUntilWaitingOnDynamoDbAsync(() => !posting.IsCompleted);
            Signals.Terminate(kestrel.ProcessId);
            await Task.Delay(FrozenAfterTerminate);
            Assert.False(kestrel.Exited.IsCompleted, "The app exited while a request was in flight.");
        }
        finally
        {
            Signals.Thaw(dynalite.ProcessId);
            sinceThaw = Stopwatch.StartNew();
        }

        using var created = await posting;
        var responded = sinceThaw.Elapsed;
        var exitCode = await kestrel.Exited.WaitAsync(PublishedFunction.Patience);
        output.WriteLine($"Kestrel: response {responded.TotalMilliseconds:0} ms and exit {sinceThaw.Elapsed.TotalMilliseconds:0} ms after DynamoDB answered again.");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Contains(name, await created.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, exitCode);
        await AssertStoredAsync(created.Headers.Location!.OriginalString, name);
    }

    [Fact]
    public async Task Lambda_posts_the_response_of_the_invocation_in_flight_and_exits_0()
    {
        var environment = Environment();
        environment.Remove("Auth__Mode");
        await using var function = await app.StartFunctionAsync(environment);
        Assert.Equal(200, (await function.SendAsync(HttpEvent.Get(HttpEventSource.HttpApi, "/items"))).StatusCode);

        var name = $"lambda {Guid.NewGuid():N}";
        var request = HttpEvent.PostJson(HttpEventSource.HttpApi, "/items", $$"""{"name":"{{name}}","category":"shutdown"}""");
        Task<InvocationOutcome> invoking;
        Stopwatch sinceThaw;
        Signals.Freeze(dynalite.ProcessId);
        try
        {
            invoking = function.InvokeAsync(request.ToJson());
            await WaitUntilWaitingOnDynamoDbAsync(() => !invoking.IsCompleted && function.Api.InFlightInvocations == 1);
            Signals.Terminate(function.Process.ProcessId);
            await Task.Delay(FrozenAfterTerminate);
            Assert.False(function.Process.Exited.IsCompleted, "The function exited while an invocation was in flight.");
        }
        finally
        {
            Signals.Thaw(dynalite.ProcessId);
            sinceThaw = Stopwatch.StartNew();
        }

        var outcome = await invoking;
        var responded = sinceThaw.Elapsed;
        var exitCode = await function.Process.WaitForExitAsync(PublishedFunction.Patience);
        output.WriteLine($"Lambda: response {responded.TotalMilliseconds:0} ms and exit {sinceThaw.Elapsed.TotalMilliseconds:0} ms after DynamoDB answered again.");

        var created = LambdaHttpResponse.Parse(outcome.ResponseJson(), HttpEventSource.HttpApi);
        Assert.Equal(201, created.StatusCode);
        Assert.Equal(name, created.BodyJson().GetProperty("name").GetString());
        Assert.Equal(0, exitCode);
        await AssertStoredAsync(created.Header("Location")!, name);
    }

    /// <summary>
    /// On Managed Instances SIGTERM stops polling at once (the idle pollers' connections close) and every invocation
    /// in flight still posts its response before the process exits 0.
    /// </summary>
    [Fact]
    public async Task Lambda_with_max_concurrency_stops_polling_and_posts_every_invocation_in_flight_and_exits_0()
    {
        const int maxConcurrency = 4;
        var environment = Environment();
        environment.Remove("Auth__Mode");
        await using var function = await app.StartFunctionAsync(environment, new LambdaRuntimeApiOptions { FunctionName = "CloudNativeApp", MaxConcurrency = maxConcurrency });
        Assert.Equal(200, (await function.SendAsync(HttpEvent.Get(HttpEventSource.HttpApi, "/items"))).StatusCode);

        var names = Enumerable.Range(0, 3).Select(i => $"lambda mi {i} {Guid.NewGuid():N}").ToArray();
        Task<InvocationOutcome>[] invoking;
        Stopwatch sinceThaw;
        Signals.Freeze(dynalite.ProcessId);
        try
        {
            invoking = [.. names.Select(name => function.InvokeAsync(HttpEvent.PostJson(HttpEventSource.HttpApi, "/items", $$"""{"name":"{{name}}","category":"shutdown"}""").ToJson()))];
            await WaitUntilWaitingOnDynamoDbAsync(() => invoking.All(invocation => !invocation.IsCompleted) && function.Api.InFlightInvocations == names.Length);
            Assert.Equal(maxConcurrency - names.Length, function.Api.WaitingForNext);
            Signals.Terminate(function.Process.ProcessId);
            await Task.Delay(FrozenAfterTerminate);
            Assert.False(function.Process.Exited.IsCompleted, "The function exited while invocations were in flight.");
            Assert.Equal(0, function.Api.WaitingForNext);
        }
        finally
        {
            Signals.Thaw(dynalite.ProcessId);
            sinceThaw = Stopwatch.StartNew();
        }

        var outcomes = await Task.WhenAll(invoking);
        var exitCode = await function.Process.WaitForExitAsync(PublishedFunction.Patience);
        output.WriteLine($"Lambda (max concurrency {maxConcurrency}): exit {sinceThaw.Elapsed.TotalMilliseconds:0} ms after DynamoDB answered again.");

        for (var i = 0; i < names.Length; i++)
        {
            var created = LambdaHttpResponse.Parse(outcomes[i].ResponseJson(), HttpEventSource.HttpApi);
            Assert.Equal(201, created.StatusCode);
            Assert.Equal(names[i], created.BodyJson().GetProperty("name").GetString());
        }

        Assert.Equal(0, exitCode);
    }

    private Dictionary<string, string?> Environment()
    {
        var environment = AppEnvironment.DynamoDb(dynalite, tableName);
        environment["Items__TimeoutSeconds"] = StoreTimeoutSeconds.ToString(CultureInfo.InvariantCulture);
        // On Kestrel nothing vouches for callers (no API Gateway authorizer): the app refuses Auth:Mode=ApiGateway there.
        environment["Auth__Mode"] = "None";
        return environment;
    }

    /// <summary>Gives the request time to reach the frozen DynamoDB; fails at once if it is no longer in flight.</summary>
    private static async Task WaitUntilWaitingOnDynamoDbAsync(Func<bool> inFlight)
    {
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.True(inFlight(), "The request ended although DynamoDB is frozen.");
    }

    /// <summary>
    /// Reads the item back through a new function process on the same table (it was really written), then stops that
    /// idle function with SIGTERM: its long poll on /next ends at once and it exits 0.
    /// </summary>
    private async Task AssertStoredAsync(string location, string name)
    {
        var environment = Environment();
        environment.Remove("Auth__Mode");
        environment["Items__CreateTable"] = "false";
        await using var reader = await app.StartFunctionAsync(environment);
        var read = await reader.SendAsync(HttpEvent.Get(HttpEventSource.HttpApi, location));
        Assert.Equal(200, read.StatusCode);
        Assert.Equal(name, read.BodyJson().GetProperty("name").GetString());

        await reader.Api.WaitForFunctionAsync().WaitAsync(PublishedFunction.Patience);
        var sinceTerminate = Stopwatch.StartNew();
        Signals.Terminate(reader.Process.ProcessId);
        Assert.Equal(0, await reader.Process.WaitForExitAsync(PublishedFunction.Patience));
        output.WriteLine($"Idle function: exit {sinceTerminate.ElapsedMilliseconds} ms after SIGTERM.");
    }
}
