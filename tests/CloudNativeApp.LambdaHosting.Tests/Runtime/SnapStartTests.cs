namespace CloudNativeApp.LambdaHosting.Tests.Runtime;

/// <summary>
/// SnapStart (<c>AWS_LAMBDA_INITIALIZATION_TYPE=snap-start</c>, here <see cref="LambdaHostingOptions.SnapStart"/>):
/// priming and before-snapshot hooks, <c>/restore/next</c>, after-restore hooks, then <c>/next</c>.
/// </summary>
// In LambdaServerTests' collection: a failing restore sets the process-wide Environment.ExitCode, reset here.
[Collection(nameof(LambdaServerTests))]
public sealed class SnapStartTests
{
    [Fact]
    public async Task Primes_and_runs_the_hooks_around_the_restore_before_polling()
    {
        var journal = new ConcurrentQueue<string>();
        await using var function = await StartAsync(
            app => app.MapGet("/my/path", (HttpContext context, ILambdaContext lambda) =>
            {
                journal.Enqueue($"request {lambda.AwsRequestId} {context.GetLambdaEvent()!.Source} {context.Request.Headers["X-Amzn-Trace-Id"]} {Activity.Current?.TraceId}");
                return "ok";
            }),
            services => services
                .AddLambdaPrimingRequest("GET", "/my/path?x=1")
                .AddLambdaSnapshotHook((_, _) => Record(journal, "before 1"), (_, _) => Record(journal, "after 1"))
                .AddLambdaSnapshotHook((_, _) => Record(journal, "before 2"), (_, _) => Record(journal, "after 2")));

        await function.Api.WaitForSnapshotAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await Task.Delay(200);

        Assert.Equal(0, function.Api.WaitingForNext);
        Assert.Equal(0, function.Api.InvocationsServed);
        Assert.Equal(
            [
                "request priming-1 HttpApi Root=1-00000001-000000000000000000000001;Parent=0000000000000001;Sampled=0 00000001000000000000000000000001",
                "request priming-2 RestApi Root=1-00000001-000000000000000000000001;Parent=0000000000000001;Sampled=0 00000001000000000000000000000001",
                "request priming-3 Alb Root=1-00000001-000000000000000000000001;Parent=0000000000000001;Sampled=0 00000001000000000000000000000001",
                "before 2",
                "before 1",
            ],
            journal);

        function.Api.Restore();
        await function.Api.WaitForFunctionAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var outcome = await function.InvokeAsync(TestEvents.HttpApiGet);

        Assert.Equal("ok", outcome.EnsureSucceeded().ResponseJson().GetProperty("body").GetString());
        Assert.Equal(["after 1", "after 2"], journal.Skip(5).Take(2));
        Assert.Equal(0, function.Api.PollsBeforeRestore);
        Assert.Equal(0, function.Api.RequestsOnSnapshotConnections);
        Assert.Empty(function.Api.RestoreErrors);
        Assert.Empty(function.Api.InitErrors);
    }

    [Fact]
    public async Task A_failing_after_restore_hook_is_a_restore_error_and_stops_the_host_with_a_failure_code()
    {
        await using var function = await StartAsync(
            app => app.MapGet("/my/path", () => "ok"),
            services => services.AddLambdaSnapshotHook(null, (_, _) => throw new InvalidOperationException("the cache could not reconnect")));

        function.Api.Restore();
        await AssertStopsWithFailureAsync(function);

        var error = Assert.Single(function.Api.RestoreErrors);
        Assert.Equal(LambdaErrorTypes.AfterRestoreError, error.ErrorTypeHeader);
        Assert.Equal(LambdaErrorTypes.AfterRestoreError, error.ErrorType);
        Assert.Equal("the cache could not reconnect", error.ErrorMessage);
        Assert.Equal(0, function.Api.MostConcurrentPolls);
    }

    [Fact]
    public async Task A_failing_before_snapshot_hook_is_the_init_error()
    {
        await using var function = await StartAsync(
            app => app.MapGet("/my/path", () => "ok"),
            services => services.AddLambdaSnapshotHook((_, _) => throw new InvalidOperationException("cannot warm up"), null));

        await AssertStopsWithFailureAsync(function);

        var error = Assert.Single(function.Api.InitErrors);
        Assert.Equal(LambdaErrorTypes.BeforeSnapshotError, error.ErrorTypeHeader);
        Assert.Contains("cannot warm up", error.ErrorMessage, StringComparison.Ordinal);
        Assert.False(function.Api.WaitForSnapshotAsync().IsCompleted, "It waited for a snapshot after failing to prepare one.");
    }

    [Theory]
    [InlineData(RestoreAnswer.ServerError)]
    [InlineData(RestoreAnswer.Truncated)]
    [InlineData(RestoreAnswer.Closed)]
    public async Task A_restore_answer_that_is_not_200_stops_the_host_without_polling(RestoreAnswer answer)
    {
        await using var function = await StartAsync(
            app => app.MapGet("/my/path", () => "ok"),
            services => services.AddLambdaSnapshotHook(null, (_, _) => throw new InvalidOperationException("must not run")),
            answer);

        function.Api.Restore();
        await AssertStopsWithFailureAsync(function);

        Assert.Equal(0, function.Api.MostConcurrentPolls);
        Assert.Empty(function.Api.RestoreErrors);
    }

    [Fact]
    public async Task Restore_routes_are_404_without_snap_start()
    {
        await using var api = await LambdaRuntimeApiServer.StartAsync();
        using var client = new HttpClient { BaseAddress = api.BaseAddress };

        using var next = await client.GetAsync(new Uri("2018-06-01/runtime/restore/next", UriKind.Relative));
        using var error = await client.PostAsync(new Uri("2018-06-01/runtime/restore/error", UriKind.Relative), new StringContent("{}"));

        Assert.Equal(HttpStatusCode.NotFound, next.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
    }

    private static Task<LambdaFunction> StartAsync(Action<WebApplication> map, Action<IServiceCollection> configure, RestoreAnswer answer = RestoreAnswer.Restored) =>
        LambdaFunction.StartAsync(
            map,
            services =>
            {
                services.Configure<LambdaHostingOptions>(options => options.SnapStart = true);
                configure(services);
            },
            new LambdaRuntimeApiOptions { SnapStart = true, RestoreAnswer = answer },
            waitForPolling: false);

    private static async Task AssertStopsWithFailureAsync(LambdaFunction function)
    {
        try
        {
            var stopping = new TaskCompletionSource();
            using var registration = function.App.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(stopping.SetResult);
            await stopping.Task.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(1, Environment.ExitCode);
        }
        finally
        {
            // The test host's own exit code: a failing function in it must not fail the run.
            Environment.ExitCode = 0;
        }
    }

    private static Task Record(ConcurrentQueue<string> journal, string entry)
    {
        journal.Enqueue(entry);
        return Task.CompletedTask;
    }
}
