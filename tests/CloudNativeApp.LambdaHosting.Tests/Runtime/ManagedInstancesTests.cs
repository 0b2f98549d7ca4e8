namespace CloudNativeApp.LambdaHosting.Tests.Runtime;

/// <summary>
/// Lambda Managed Instances (<c>AWS_LAMBDA_MAX_CONCURRENCY</c>, here <see cref="LambdaHostingOptions.MaxConcurrency"/>):
/// N pollers, N invocations at once through one pipeline, each with its own context.
/// </summary>
// In LambdaServerTests' collection: those tests read and write the process-wide _X_AMZN_TRACE_ID.
[Collection(nameof(LambdaServerTests))]
public sealed class ManagedInstancesTests
{
    [Fact]
    public async Task N_polls_wait_at_once_and_N_invocations_run_at_once_each_with_its_own_context()
    {
        const int N = 8;

        // Every invocation waits until all N are inside the pipeline: run one after another, none would finish.
        using var allInside = new Barrier(N);
        await using var function = await StartAsync(N, app => app.MapGet("/my/path", (HttpContext context, ILambdaContext lambda) =>
        {
            Assert.True(allInside.SignalAndWait(TimeSpan.FromSeconds(20)), "The invocations did not run at the same time.");
            return Results.Json(new
            {
                injected = lambda.AwsRequestId,
                traceIdentifier = context.TraceIdentifier,
                traceId = lambda.TraceId,
                traceHeader = context.Request.Headers["X-Amzn-Trace-Id"].ToString(),
                activityTraceId = Activity.Current?.TraceId.ToString(),
                traceVariable = Environment.GetEnvironmentVariable("_X_AMZN_TRACE_ID"),
            });
        }));
        await WaitUntilAsync(() => function.Api.WaitingForNext == N);

        var traces = Enumerable.Range(0, N).Select(i => $"Root=1-5759e988-{i:x24};Parent={i + 1:x16};Sampled=1").ToArray();
        var outcomes = await Task.WhenAll(traces.Select(trace => function.InvokeAsync(new InvocationRequest(TestEvents.HttpApiGet) { TraceId = trace })));

        for (var i = 0; i < N; i++)
        {
            var seen = Body(outcomes[i]);
            Assert.Equal(outcomes[i].RequestId, seen.GetProperty("injected").GetString());
            Assert.Equal(outcomes[i].RequestId, seen.GetProperty("traceIdentifier").GetString());
            Assert.Equal(traces[i], seen.GetProperty("traceId").GetString());
            Assert.Equal(traces[i], seen.GetProperty("traceHeader").GetString());
            Assert.Equal($"5759e988{i:x24}", seen.GetProperty("activityTraceId").GetString());

            // Whatever an earlier test left there, never this invocation's: the variable is process-wide.
            Assert.NotEqual(traces[i], seen.GetProperty("traceVariable").GetString());
        }

        await WaitUntilAsync(() => function.Api.WaitingForNext == N);
        Assert.Equal(N, function.Api.MostConcurrentPolls);
    }

    [Fact]
    public async Task Log_lines_of_concurrent_invocations_each_carry_their_own_request_id()
    {
        await using var function = await StartAsync(4, app => app.MapGet("/my/path", async (ILambdaContext lambda, ILoggerFactory loggers) =>
        {
            var logger = loggers.CreateLogger("Test.Handler");
            for (var i = 0; i < 5; i++)
            {
                Handling(logger, lambda.AwsRequestId, null);
                await Task.Yield();
            }

            return "ok";
        }));

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => function.InvokeAsync(TestEvents.HttpApiGet)));

        var lines = function.Logs.Entries.Where(entry => entry.Category == "Test.Handler").ToList();
        Assert.Equal(60, lines.Count);
        Assert.All(lines, line => Assert.Equal(line.Message, $"handling {line.Scope("AwsRequestId")}"));
        Assert.Equal(outcomes.Select(outcome => outcome.RequestId).Order(), lines.Select(line => (string)line.Scope("AwsRequestId")!).Distinct().Order());
    }

    /// <summary>
    /// 32 workers, 96 invocations whose handlers block for 1.5 s, in a process whose thread pool starts with one
    /// thread per processor (2 here): with polling on pool continuations (AWS's runtime) re-polls queue behind blocked
    /// threads, for a handler's 1.5 s or more. Here each worker re-polls from its own thread at once, so three rounds
    /// take about 4.5 s.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Handlers_that_block_do_not_starve_polling(bool blockAfterAwait)
    {
        const int N = 32;
        const int Invocations = 3 * N;
        var blockFor = TimeSpan.FromMilliseconds(1500);
        await using var function = await StartAsync(N, app => app.MapGet("/my/path", async () =>
        {
            if (blockAfterAwait)
            {
                // Now on a thread-pool thread: blocking it takes one from the pool.
                await Task.Yield();
            }

            Thread.Sleep(blockFor);
            return "ok";
        }));
        await WaitUntilAsync(() => function.Api.WaitingForNext == N);

        var stopwatch = Stopwatch.StartNew();
        var outcomes = await Task.WhenAll(Enumerable.Range(0, Invocations).Select(_ => function.InvokeAsync(TestEvents.HttpApiGet)));
        var elapsed = stopwatch.Elapsed;

        Assert.All(outcomes, outcome => Assert.Equal("ok", outcome.EnsureSucceeded().ResponseJson().GetProperty("body").GetString()));
        // Three waves of blocked handlers take 4.5 s; the margin is for a CI machine under load (3.0 s seen once for
        // 0.6 s). Starved polling shows first in the re-poll gap, asserted next: a starved re-poll waits for a blocked
        // handler (1.5 s), half of which is five times the longest delay a busy machine alone caused (146 ms).
        Assert.True(elapsed < (3 * blockFor) + TimeSpan.FromSeconds(4), $"{Invocations} invocations took {elapsed.TotalMilliseconds:0} ms");
        Assert.True(function.Api.LongestRepollGap < blockFor / 2, $"A worker took {function.Api.LongestRepollGap.TotalMilliseconds:0} ms to poll again.");
        Assert.True(function.Api.MostConcurrentPolls <= N);
    }

    [Fact]
    public async Task Max_concurrency_1_is_one_poller_that_never_sets_the_process_trace_variable()
    {
        Environment.SetEnvironmentVariable("_X_AMZN_TRACE_ID", null);
        await using var function = await StartAsync(1, app => app.MapGet("/my/path", () => Environment.GetEnvironmentVariable("_X_AMZN_TRACE_ID") ?? "unset"));

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => function.InvokeAsync(TestEvents.HttpApiGet)));

        Assert.All(outcomes, outcome => Assert.Equal("unset", outcome.EnsureSucceeded().ResponseJson().GetProperty("body").GetString()));
        Assert.Equal(1, function.Api.MostConcurrentPolls);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(0)]
    [InlineData(-1)]
    public async Task Without_a_valid_max_concurrency_it_never_polls_twice_at_once(int? maxConcurrency)
    {
        await using var function = await StartAsync(maxConcurrency, app => app.MapGet("/my/path", async () =>
        {
            await Task.Delay(20);
            return "ok";
        }));

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => function.InvokeAsync(TestEvents.HttpApiGet)));

        Assert.All(outcomes, outcome => outcome.EnsureSucceeded());
        Assert.Equal(1, function.Api.MostConcurrentPolls);
        Assert.Equal(maxConcurrency is not null, function.Logs.Entries.Any(entry => entry.Level == LogLevel.Warning && entry.Message.Contains("one invocation at a time", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Stopping_closes_the_idle_polls_at_once_and_lets_the_invocations_in_flight_post()
    {
        const int N = 4;
        using var release = new ManualResetEventSlim();
        var entered = 0;
        await using var function = await StartAsync(N, app => app.MapGet("/my/path", () =>
        {
            Interlocked.Increment(ref entered);
            return release.Wait(TimeSpan.FromSeconds(30)) ? "finished" : "not released";
        }));
        await WaitUntilAsync(() => function.Api.WaitingForNext == N);

        var inFlight = new[] { function.InvokeAsync(TestEvents.HttpApiGet), function.InvokeAsync(TestEvents.HttpApiGet) };
        await WaitUntilAsync(() => Volatile.Read(ref entered) == 2);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var stopping = function.App.StopAsync(timeout.Token);
        await WaitUntilAsync(() => function.Api.WaitingForNext == 0);
        await Task.Delay(200);
        Assert.False(stopping.IsCompleted, "The host stopped while invocations were in flight.");

        release.Set();
        await stopping;

        foreach (var outcome in await Task.WhenAll(inFlight))
        {
            Assert.Equal("finished", outcome.EnsureSucceeded().ResponseJson().GetProperty("body").GetString());
        }

        Assert.Equal(0, function.Api.WaitingForNext);
    }

    private static readonly Action<ILogger, string, Exception?> Handling =
        LoggerMessage.Define<string>(LogLevel.Information, new EventId(1), "handling {RequestId}");

    private static Task<LambdaFunction> StartAsync(int? maxConcurrency, Action<WebApplication> map) =>
        LambdaFunction.StartAsync(map, services => services.Configure<LambdaHostingOptions>(options => options.MaxConcurrency = maxConcurrency));

    private static JsonElement Body(InvocationOutcome outcome)
    {
        using var body = JsonDocument.Parse(outcome.EnsureSucceeded().ResponseJson().GetProperty("body").GetString()!);
        return body.RootElement.Clone();
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(20), "Timed out waiting for the function.");
            await Task.Delay(5);
        }
    }
}
