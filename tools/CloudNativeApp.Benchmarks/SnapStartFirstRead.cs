namespace CloudNativeApp.Benchmarks;

/// <summary>
/// SnapStart's acceptance (#10): the first item read (<c>GET /items/{id}</c>, an HTTP API event) of a process restored
/// from a primed snapshot against the first item read of a process that was not primed, side by side in one run.
/// Each round starts, per build, an on-demand process (initialized, then its first read) and a SnapStart process
/// (<c>AWS_LAMBDA_INITIALIZATION_TYPE=snap-start</c>: primed, before-snapshot hooks, <c>/restore/next</c>; the local
/// Runtime API then "restores" it and delivers the read). DynamoDB is dynalite behind a proxy that adds
/// <c>--store-latency-ms</c> (default 0) and starts a new epoch at the restore, so a request on a socket from before
/// the snapshot is counted. The read's time is the function's own: Runtime API delivery to response.
/// </summary>
public static class SnapStartFirstRead
{
    private const string Usage =
        "snapstart --app <published bootstrap> [--app <another>]... [--rounds 5] [--store-latency-ms 0]";

    public static async Task<int> RunAsync(string[] args)
    {
        var options = BenchmarkOptions.Parse(args, ["--app", "--rounds", "--store-latency-ms"]);
        var apps = options.Files("--app");
        var rounds = options.Int("--rounds", 5);
        var latencyMs = options.Int("--store-latency-ms", 0, minimum: 0);
        if (await options.ReportErrorAsync(Usage) is { } error)
        {
            return error;
        }

        await using var dynalite = await DynaliteServer.StartNewAsync();
        await using var store = DelayingTcpProxy.InFrontOf(dynalite, TimeSpan.FromMilliseconds(latencyMs));
        var environment = BenchmarkItemStore.DynamoDbEnvironment(store.ServiceUrl);
        var read = await BenchmarkItemStore.CreateItemAsync(apps[0], environment);

        // As deployed: the table exists, so nothing at startup calls DynamoDB and warms the client.
        environment["Items__CreateTable"] = "false";

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"machine: {Environment.ProcessorCount} cores, load average {LoadAverage()}; {rounds} rounds, builds interleaved; store latency {latencyMs} ms"));
        var unprimed = apps.ToDictionary(app => app, _ => new List<double>());
        var restored = apps.ToDictionary(app => app, _ => new List<double>());
        var staleRequests = 0;
        for (var round = 1; round <= rounds; round++)
        {
            foreach (var app in apps)
            {
                var cold = await FirstReadAsync(app, environment, read, snapStart: false, store);
                var warm = await FirstReadAsync(app, environment, read, snapStart: true, store);
                unprimed[app].Add(cold.Milliseconds);
                restored[app].Add(warm.Milliseconds);
                staleRequests += warm.StaleRequests;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"round {round} {BenchmarkStatistics.BuildName(app)}: first read unprimed {cold.Milliseconds:0.0} ms, after restore {warm.Milliseconds:0.0} ms ({warm.Milliseconds / cold.Milliseconds:0.00}x)"));
            }
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"load average {LoadAverage()}; requests on DynamoDB sockets from before a snapshot: {staleRequests}"));
        Console.WriteLine("| build | first read, not primed: median [all] | first read after restore: median [all] | restored / not primed (target ≤ 0.2×) |");
        Console.WriteLine("| --- | ---: | ---: | ---: |");
        foreach (var app in apps)
        {
            var cold = BenchmarkStatistics.Median(unprimed[app]);
            var warm = BenchmarkStatistics.Median(restored[app]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {BenchmarkStatistics.BuildName(app)} | {cold:0.0} ms [{Format(unprimed[app])}] | {warm:0.0} ms [{Format(restored[app])}] | **{warm / cold:0.00}×** |"));
        }

        return 0;
    }

    /// <summary>One process's first item read: right after init, or after its snapshot was "restored".</summary>
    private static async Task<(double Milliseconds, int StaleRequests)> FirstReadAsync(
        string app, Dictionary<string, string?> environment, byte[] read, bool snapStart, DelayingTcpProxy store)
    {
        var patience = TimeSpan.FromSeconds(60);
        await using var api = await LambdaRuntimeApiServer.StartAsync(new LambdaRuntimeApiOptions { FunctionName = "CloudNativeApp", SnapStart = snapStart });
        await using var process = LambdaFunctionProcess.Start(api, app, environment);
        var staleBefore = store.RequestsOnOldConnections;
        if (snapStart)
        {
            await api.WaitForSnapshotAsync().WaitAsync(patience);
            store.StartNewEpoch();
            api.Restore();
        }

        await api.WaitForFunctionAsync().WaitAsync(patience);
        var outcome = (await api.InvokeAsync(read, patience)).EnsureSucceeded();
        if (outcome.ResponseJson().GetProperty("statusCode").GetInt32() != 200)
        {
            throw new InvalidOperationException($"The read failed: {outcome}\n{process.Output}");
        }

        if (api.RestoreErrors.Count > 0 || api.PollsBeforeRestore > 0)
        {
            throw new InvalidOperationException($"The SnapStart protocol was not followed: {api.RestoreErrors.Count} restore errors, {api.PollsBeforeRestore} polls before the restore.\n{process.Output}");
        }

        var stale = store.RequestsOnOldConnections - staleBefore;
        await process.StopAsync(TimeSpan.FromSeconds(5));
        return (outcome.Duration.TotalMilliseconds, stale);
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static string Format(List<double> values) => string.Join(", ", values.Select(value => value.ToString("0.0", CultureInfo.InvariantCulture)));

}
