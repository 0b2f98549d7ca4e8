namespace CloudNativeApp.Benchmarks;

/// <summary>
/// Throughput of one published process on Lambda Managed Instances: item reads (<c>GET /items/{id}</c>, HTTP API
/// events) against dynalite behind a proxy that delays every request by the store latency (50 ms: a remote
/// DynamoDB's round trip), with <c>AWS_LAMBDA_MAX_CONCURRENCY</c> = each level in turn (and without it, for the
/// baseline). Callers keep twice the level's invocations queued so the process is never idle. Then, per level, the
/// time for a burst of <c>--burst</c> reads sent at once (median of three): Managed Instances' acceptance (#10) is
/// 16 reads with a 100 ms store in ≤ 0.2× the time at level 8 that they take without the variable.
/// </summary>
public static class ConcurrentThroughput
{
    private const string Usage = "concurrency --app <published bootstrap> [--levels 1,8,32] [--seconds 5] [--store-latency-ms 50] [--burst 16]";

    public static async Task<int> RunAsync(string[] args)
    {
        var options = BenchmarkOptions.Parse(args, ["--app", "--levels", "--seconds", "--store-latency-ms", "--burst"]);
        var apps = options.Files("--app");
        var levels = options.Ints("--levels", [1, 8, 32]);
        var seconds = options.Positive("--seconds", 5.0);
        var latencyMs = options.Int("--store-latency-ms", 50, minimum: 0);
        var burst = options.Int("--burst", 16);
        if (await options.ReportErrorAsync(Usage) is { } error)
        {
            return error;
        }

        var app = apps[^1];

        await using var dynalite = await DynaliteServer.StartNewAsync();
        await using var store = DelayingTcpProxy.InFrontOf(dynalite, TimeSpan.FromMilliseconds(latencyMs));
        var environment = BenchmarkItemStore.DynamoDbEnvironment(store.ServiceUrl);
        var read = await BenchmarkItemStore.CreateItemAsync(app, environment);
        environment["Items__CreateTable"] = "false";

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"GET /items/{{id}}, store latency {latencyMs} ms, {seconds:0.#} s per level"));
        Console.WriteLine("| AWS_LAMBDA_MAX_CONCURRENCY | invocations/s | median latency | p99 latency |");
        Console.WriteLine("| --- | ---: | ---: | ---: |");
        var bursts = new List<(int? Level, TimeSpan Elapsed)>();
        foreach (int? level in (int?[])[null, .. levels.Select(level => (int?)level)])
        {
            var api = await LambdaRuntimeApiServer.StartAsync(new LambdaRuntimeApiOptions { FunctionName = "CloudNativeApp", MaxConcurrency = level });
            await using (api)
            {
                var process = LambdaFunctionProcess.Start(api, app, environment);
                await using (process)
                {
                    var callers = 2 * (level ?? 1);
                    await RunLoadAsync(api, read, callers, TimeSpan.FromSeconds(1)); // warm-up: a store connection per worker
                    var (count, latencies) = await RunLoadAsync(api, read, callers, TimeSpan.FromSeconds(seconds));
                    latencies.Sort();
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"| {(level is null ? "unset" : level.Value.ToString(CultureInfo.InvariantCulture))} | {count / seconds:0} | {latencies[latencies.Count / 2].TotalMilliseconds:0.0} ms | {latencies[(int)(latencies.Count * 0.99)].TotalMilliseconds:0.0} ms |"));
                    bursts.Add((level, await BurstAsync(api, read, burst)));
                    await process.StopAsync(TimeSpan.FromSeconds(5));
                }
            }
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| AWS_LAMBDA_MAX_CONCURRENCY | {burst} reads sent at once, median of 3 | over unset |"));
        Console.WriteLine("| --- | ---: | ---: |");
        var unset = bursts[0].Elapsed;
        foreach (var (level, elapsed) in bursts)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {(level is null ? "unset" : level.Value.ToString(CultureInfo.InvariantCulture))} | {elapsed.TotalMilliseconds:0} ms | {elapsed / unset:0.00}× |"));
        }

        return 0;
    }

    /// <summary>Sends <paramref name="count"/> reads at once, three times; the median time until all were answered.</summary>
    private static async Task<TimeSpan> BurstAsync(LambdaRuntimeApiServer api, byte[] read, int count)
    {
        var times = new List<TimeSpan>();
        for (var run = 0; run < 3; run++)
        {
            var start = Stopwatch.GetTimestamp();
            var outcomes = await Task.WhenAll(Enumerable.Range(0, count).Select(_ => api.InvokeAsync(read, TimeSpan.FromSeconds(60))));
            times.Add(Stopwatch.GetElapsedTime(start));
            if (outcomes.FirstOrDefault(outcome => !outcome.Succeeded || outcome.ResponseJson().GetProperty("statusCode").GetInt32() != 200) is { } failed)
            {
                throw new InvalidOperationException($"Unexpected outcome {failed}.");
            }
        }

        return times.Order().ElementAt(1);
    }

    private static async Task<(int Count, List<TimeSpan> Latencies)> RunLoadAsync(LambdaRuntimeApiServer api, byte[] read, int callers, TimeSpan duration)
    {
        var latencies = new List<TimeSpan>();
        var end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, callers).Select(async _ =>
        {
            while (Stopwatch.GetTimestamp() < end)
            {
                var outcome = await api.InvokeAsync(read, TimeSpan.FromSeconds(30));
                if (!outcome.Succeeded || outcome.ResponseJson().GetProperty("statusCode").GetInt32() != 200)
                {
                    throw new InvalidOperationException($"Unexpected outcome {outcome}.");
                }

                lock (latencies)
                {
                    latencies.Add(outcome.Duration);
                }
            }
        }));
        return (latencies.Count, latencies);
    }
}
