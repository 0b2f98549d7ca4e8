namespace CloudNativeApp.Benchmarks;

/// <summary>
/// Warm invocations of published builds, side by side: each build is started once against a local Runtime API, warmed
/// up, then sent the same sequence of HTTP API events (<c>GET /calculator/add/1/2</c>, and <c>POST /calculator</c>,
/// which runs the validation filter, a scoped validator and JSON both ways). Reports the function's CPU time and the
/// round-trip wall time per invocation; rounds alternate between the builds so they share the machine's state.
/// </summary>
public static class WarmInvocations
{
    private const string Usage = "warm --app <published bootstrap> [--app <another>]... [--invocations 2000] [--rounds 3]";

    public static async Task<int> RunAsync(string[] args)
    {
        var options = BenchmarkOptions.Parse(args, ["--app", "--invocations", "--rounds"]);
        var apps = options.Files("--app");
        var invocations = options.Int("--invocations", 2000);
        var rounds = options.Int("--rounds", 3);
        if (await options.ReportErrorAsync(Usage) is { } error)
        {
            return error;
        }

        var events = new (string Name, byte[] Event)[]
        {
            ("GET /calculator/add/1/2", BenchmarkEvents.SmallGet(LambdaEventSource.HttpApi)),
            ("POST /calculator", BenchmarkEvents.PostJson(LambdaEventSource.HttpApi, "/calculator", """{"number1":10,"number2":20}""")),
        };
        var functions = new List<(string App, LambdaRuntimeApiServer Api, LambdaFunctionProcess Process)>();
        try
        {
            foreach (var app in apps)
            {
                var api = await LambdaRuntimeApiServer.StartAsync(new LambdaRuntimeApiOptions { FunctionName = "CloudNativeApp" });
                var process = LambdaFunctionProcess.Start(api, app, new Dictionary<string, string?> { ["Items__TableName"] = "CloudNativeApp-Items", ["RateLimiting__Enabled"] = "false" });
                functions.Add((app, api, process));
                foreach (var (_, payload) in events)
                {
                    await SendAsync(api, payload, invocations / 2); // warm-up: tiered compilation settles
                }
            }

            for (var round = 1; round <= rounds; round++)
            {
                foreach (var (app, api, process) in functions)
                {
                    foreach (var (name, payload) in events)
                    {
                        var cpuBefore = process.TotalProcessorTime;
                        var started = Stopwatch.GetTimestamp();
                        await SendAsync(api, payload, invocations);
                        var wall = Stopwatch.GetElapsedTime(started);
                        var cpu = process.TotalProcessorTime - cpuBefore;
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"round {round} {app}: {name,-24} function CPU {cpu.TotalMicroseconds / invocations,6:0.0} µs/invocation, round trip {wall.TotalMicroseconds / invocations,6:0.0} µs"));
                    }
                }
            }
        }
        finally
        {
            foreach (var (_, api, process) in functions)
            {
                await process.StopAsync(TimeSpan.FromSeconds(5));
                await process.DisposeAsync();
                await api.DisposeAsync();
            }
        }

        return 0;
    }

    private static async Task SendAsync(LambdaRuntimeApiServer api, byte[] payload, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var outcome = await api.InvokeAsync(payload, TimeSpan.FromSeconds(30));
            if (outcome.ResponseJson().GetProperty("statusCode").GetInt32() != 200)
            {
                throw new InvalidOperationException($"Unexpected response {outcome.ResponseText}.");
            }
        }
    }
}
