using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CloudNativeApp.LambdaHosting;
using CloudNativeApp.LambdaRuntimeApi;

namespace CloudNativeApp.Benchmarks;

/// <summary>
/// Cold start of the published app: start the process against a local Runtime API that already holds one
/// HTTP API (v2) event for <c>GET /calculator/add/1/2</c>, and time process start → response posted.
/// </summary>
public static class ColdStart
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public static async Task<int> RunAsync(string[] args)
    {
        string? app = null;
        var runs = 10;
        var showOutput = false;
        // Deployed configuration: Production with the DynamoDB store (no DynamoDB call happens before an items request).
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal) { ["Items__TableName"] = "CloudNativeApp-Items" };
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--app" when i + 1 < args.Length:
                    app = args[++i];
                    break;
                case "--runs" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count > 0:
                    runs = count;
                    i++;
                    break;
                case "--show-output":
                    showOutput = true;
                    break;
                case "--env" when i + 1 < args.Length && args[i + 1].IndexOf('=', StringComparison.Ordinal) > 0:
                    var assignment = args[++i];
                    var separator = assignment.IndexOf('=', StringComparison.Ordinal);
                    environment[assignment[..separator]] = assignment[(separator + 1)..];
                    break;
                default:
                    await Console.Error.WriteLineAsync($"Unexpected argument '{args[i]}'.\nUsage: cold-start --app <published app: apphost or .dll> [--runs 10] [--env NAME=VALUE]... [--show-output]");
                    return 2;
            }
        }

        if (app is null || !File.Exists(app))
        {
            await Console.Error.WriteLineAsync($"--app must name the published app's executable (got '{app}').");
            return 2;
        }

        var eventJson = BenchmarkEvents.SmallGet(LambdaEventSource.HttpApi);
        var timings = new List<double>(runs);
        var cpuTimes = new List<double>(runs);
        for (var run = 1; run <= runs; run++)
        {
            var (elapsed, cpu, detail, output) = await MeasureOnceAsync(app, eventJson, environment);
            timings.Add(elapsed.TotalMilliseconds);
            cpuTimes.Add(cpu.TotalMilliseconds);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"run {run,2}: {elapsed.TotalMilliseconds,7:0.0} ms  {detail}"));
            if (showOutput)
            {
                Console.WriteLine(output);
            }
        }

        timings.Sort();
        cpuTimes.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"cold start (process start → first response posted), {runs} runs: median {Median(timings):0.0} ms, min {timings[0]:0.0} ms, max {timings[^1]:0.0} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"CPU time of the function until its first response: median {Median(cpuTimes):0} ms, min {cpuTimes[0]:0} ms, max {cpuTimes[^1]:0} ms"));
        return 0;
    }

    private static double Median(List<double> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;

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
        var response = outcome.ResponseJson();
        if (response.GetProperty("statusCode").GetInt32() != 200 || response.GetProperty("body").GetString() != "3")
        {
            throw new InvalidOperationException($"Unexpected response {outcome.ResponseText}. Output:\n{function.Output}");
        }

        await function.StopAsync(TimeSpan.FromSeconds(5));
        // Start → the function's first /next is its init; the rest is the first invocation.
        var init = Stopwatch.GetElapsedTime(function.StartTimestamp, outcome.DeliveredTimestamp);
        return (
            elapsed,
            cpu,
            string.Create(CultureInfo.InvariantCulture, $"(init {init.TotalMilliseconds:0.0} ms + first invocation {outcome.Duration.TotalMilliseconds:0.0} ms; CPU {cpu.TotalMilliseconds:0} ms)"),
            string.Create(CultureInfo.InvariantCulture, $"  process started {startedAt:HH:mm:ss.fff}, response posted {outcome.CompletedAt:HH:mm:ss.fff}; output:\n  {string.Join("\n  ", function.OutputLines)}"));
    }
}
