namespace CloudNativeApp.Benchmarks;

/// <summary>
/// Cold start of published builds, side by side: start the process against a local Runtime API that already holds one
/// HTTP API (v2) event for <c>GET /calculator/add/1/2</c>, and time process start → response posted. With several
/// <c>--app</c>s the runs alternate between them (run 1 of each, run 2 of each, …) so they share the machine's state;
/// each round also measures every build's peak resident memory after <c>--invocations</c> warm invocations.
/// </summary>
public static class ColdStart
{
    private const string Usage =
        "cold-start --app <published app: bootstrap, apphost or .dll> [--app <another>]... [--rounds 1] [--runs 10] [--invocations 300] [--env NAME=VALUE]... [--show-output]";

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public static async Task<int> RunAsync(string[] args)
    {
        var options = BenchmarkOptions.Parse(args, ["--app", "--rounds", "--runs", "--invocations", "--env"], ["--show-output"]);
        var apps = options.Files("--app");
        var rounds = options.Int("--rounds", 1);
        var runs = options.Int("--runs", 10);
        var invocations = options.Int("--invocations", 300, minimum: 0);
        var showOutput = options.Has("--show-output");
        // Deployed configuration: Production with the DynamoDB store (no DynamoDB call happens before an items request).
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal) { ["Items__TableName"] = "CloudNativeApp-Items" };
        foreach (var (name, value) in options.Assignments("--env"))
        {
            environment[name] = value;
        }

        if (await options.ReportErrorAsync(Usage) is { } error)
        {
            return error;
        }

        var eventJson = BenchmarkEvents.SmallGet(LambdaEventSource.HttpApi);
        var results = apps.ToDictionary(app => app, _ => new AppResults());
        for (var round = 1; round <= rounds; round++)
        {
            for (var run = 1; run <= runs; run++)
            {
                foreach (var app in apps)
                {
                    var (elapsed, cpu, detail, output) = await MeasureOnceAsync(app, eventJson, environment);
                    results[app].ColdStarts.Add(elapsed.TotalMilliseconds);
                    results[app].CpuTimes.Add(cpu.TotalMilliseconds);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round} run {run,2} {BenchmarkStatistics.BuildName(app)}: {elapsed.TotalMilliseconds,7:0.0} ms  {detail}"));
                    if (showOutput)
                    {
                        Console.WriteLine(output);
                    }
                }
            }

            if (invocations > 0)
            {
                foreach (var app in apps)
                {
                    var peak = await PeakResidentMemoryAsync(app, eventJson, environment, invocations);
                    results[app].PeakRss.Add(peak / 1024.0 / 1024.0);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round} {BenchmarkStatistics.BuildName(app)}: peak RSS after {invocations} invocations {peak / 1024.0 / 1024.0:0.0} MB"));
                }
            }
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{rounds} round(s) × {runs} cold starts (process start → first response posted), medians [min–max]:"));
        var baseline = results[apps[0]];
        foreach (var app in apps)
        {
            var result = results[app];
            var rss = result.PeakRss.Count > 0 ? string.Create(CultureInfo.InvariantCulture, $", peak RSS {BenchmarkStatistics.Median(result.PeakRss):0.0} MB") : "";
            var ratios = app == apps[0] ? "" : $"  ({BenchmarkStatistics.BuildName(apps[0])}/{BenchmarkStatistics.BuildName(app)}: cold start {Ratio(baseline.ColdStarts, result.ColdStarts)}, peak RSS {Ratio(baseline.PeakRss, result.PeakRss)})";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {BenchmarkStatistics.BuildName(app)}: cold start {BenchmarkStatistics.Median(result.ColdStarts):0.0} ms [{result.ColdStarts.Min():0.0}–{result.ColdStarts.Max():0.0}], CPU {BenchmarkStatistics.Median(result.CpuTimes):0} ms{rss}{ratios}"));
        }

        return 0;
    }

    private sealed class AppResults
    {
        public List<double> ColdStarts { get; } = [];

        public List<double> CpuTimes { get; } = [];

        public List<double> PeakRss { get; } = [];
    }

    private static string Ratio(List<double> baseline, List<double> other) =>
        baseline.Count == 0 || other.Count == 0 ? "n/a" : string.Create(CultureInfo.InvariantCulture, $"{BenchmarkStatistics.Median(baseline) / BenchmarkStatistics.Median(other):0.00}");


    private static async Task<(TimeSpan Elapsed, TimeSpan Cpu, string Detail, string Output)> MeasureOnceAsync(string app, byte[] eventJson, IReadOnlyDictionary<string, string?> environment)
    {
        await using var api = await LambdaRuntimeApiServer.StartAsync(new LambdaRuntimeApiOptions { FunctionName = "CloudNativeApp" });
        var invocation = api.InvokeAsync(eventJson);
        var startedAt = DateTime.UtcNow;
        await using var function = LambdaFunctionProcess.Start(api, app, environment);

        var finished = await Task.WhenAny(invocation, function.Exited).WaitAsync(Patience);
        if (finished != invocation)
        {
            throw new InvalidOperationException($"The app exited with {await function.Exited} before answering. Output:\n{function.Output}");
        }

        var outcome = await invocation;
        var cpu = function.TotalProcessorTime;
        var elapsed = Stopwatch.GetElapsedTime(function.StartTimestamp, outcome.CompletedTimestamp);
        EnsureAnswered(outcome, function);

        await function.StopAsync(TimeSpan.FromSeconds(5));
        // Start → the function's first /next is its init; the rest is the first invocation.
        var init = Stopwatch.GetElapsedTime(function.StartTimestamp, outcome.DeliveredTimestamp);
        return (
            elapsed,
            cpu,
            string.Create(CultureInfo.InvariantCulture, $"(init {init.TotalMilliseconds:0.0} ms + first invocation {outcome.Duration.TotalMilliseconds:0.0} ms; CPU {cpu.TotalMilliseconds:0} ms)"),
            string.Create(CultureInfo.InvariantCulture, $"  process started {startedAt:HH:mm:ss.fff}, response posted {outcome.CompletedAt:HH:mm:ss.fff}; output:\n  {string.Join("\n  ", function.OutputLines)}"));
    }

    /// <summary>The process's high-water mark of resident memory (VmHWM), in bytes, after <paramref name="invocations"/> invocations.</summary>
    private static async Task<long> PeakResidentMemoryAsync(string app, byte[] eventJson, IReadOnlyDictionary<string, string?> environment, int invocations)
    {
        await using var api = await LambdaRuntimeApiServer.StartAsync(new LambdaRuntimeApiOptions { FunctionName = "CloudNativeApp" });
        await using var function = LambdaFunctionProcess.Start(api, app, environment);
        for (var i = 0; i < invocations; i++)
        {
            EnsureAnswered(await api.InvokeAsync(eventJson, Patience), function);
        }

        var status = await File.ReadAllLinesAsync($"/proc/{function.ProcessId}/status");
        var peakKb = long.Parse(status.Single(line => line.StartsWith("VmHWM:", StringComparison.Ordinal))["VmHWM:".Length..].Replace("kB", "", StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture);
        await function.StopAsync(TimeSpan.FromSeconds(5));
        return peakKb * 1024;
    }

    private static void EnsureAnswered(InvocationOutcome outcome, LambdaFunctionProcess function)
    {
        var response = outcome.ResponseJson();
        if (response.GetProperty("statusCode").GetInt32() != 200 || response.GetProperty("body").GetString() != "3")
        {
            throw new InvalidOperationException($"Unexpected response {outcome.ResponseText}. Output:\n{function.Output}");
        }
    }
}
