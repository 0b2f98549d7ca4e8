namespace CloudNativeApp.Benchmarks;

/// <summary>
/// What observability costs a published build, per configuration, side by side in one run:
/// <c>off</c> (no EMF, no OTLP endpoint), <c>emf</c> (the Lambda default: one EMF line per invocation),
/// <c>tracing</c> (OpenTelemetry SDK with an OTLP endpoint but <c>OTEL_*_EXPORTER=none</c>: spans made, not sent) and
/// <c>export</c> (OTLP/HTTP to a local receiver, flushed after every invocation), on one route: <c>calculator</c>
/// (<c>GET /calculator/add/1/2</c>, the least an invocation does) or <c>item</c> (<c>GET /items/{id}</c> of one item in a
/// dynalite table, what the service is for). Cold starts (process start → first
/// response posted) alternate between the configurations; then each is warmed and sent the same invocations (each with
/// a new X-Ray header, as with active tracing: all sampled, or the share <c>--sampled</c> gives) in rounds of fresh
/// processes, warmed up with half as many, a round's invocations going to its processes in alternating blocks;
/// reporting the function's CPU time and the round-trip time per invocation, and the ratios to <c>off</c> (per round, then their median). With several <c>--app</c>s (e.g. before and after a
/// change) every configuration of every build takes part in the same alternation, and each build's ratios are to its
/// own <c>off</c>. A cold start is reported as a whole and split at the function's first <c>/next</c> (init, then the
/// first invocation); <c>--configurations</c> picks some of the configurations (with <c>off</c>), <c>--rounds 0</c>
/// measures cold starts only.
/// </summary>
public static class ObservabilityOverhead
{
    private const string Usage =
        "observability --app <published bootstrap> [--app <another>]... [--cold-runs 10] [--invocations 2000] [--rounds 3] [--blocks 10] [--sampled 1] [--route calculator|item] [--store-latency-ms 0] [--configurations off,emf,tracing,export] [--env NAME=VALUE]...";

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public static async Task<int> RunAsync(string[] args)
    {
        var options = BenchmarkOptions.Parse(args, ["--app", "--cold-runs", "--invocations", "--rounds", "--blocks", "--sampled", "--route", "--store-latency-ms", "--configurations", "--env"]);
        var apps = options.Files("--app");
        var coldRuns = options.Int("--cold-runs", 10);
        var invocations = options.Int("--invocations", 2000);
        var rounds = options.Int("--rounds", 3, minimum: 0); // 0: cold starts only
        // A round's invocations go to its processes in turn, this many at a time: a slow spell of the machine (another
        // process, the host) then falls on every configuration of the round alike instead of on the one it met.
        var blocks = options.Int("--blocks", 10);
        // The share of invocations whose X-Ray header says Sampled=1: 1 (every one, the worst case) or X-Ray's default
        // rate of about 0.05 (one request a second and 5 % of the others).
        var sampled = options.Positive("--sampled", 1);
        var itemRoute = options.Choice("--route", "calculator", "calculator", "item") == "item";
        // The item route's DynamoDB round trip: 0 reads dynalite directly (a fraction of a millisecond); a few
        // milliseconds, as from Lambda to DynamoDB in the same region, make the round trip what Lambda bills.
        var storeLatencyMs = options.Int("--store-latency-ms", 0, minimum: 0);
        // Set for every configuration alike, e.g. runtime settings that make the measurement steadier on a busy machine.
        var extra = options.Assignments("--env");

        // A subset, e.g. off and export alone while working on export's cold start; off is always measured (the baseline).
        var selected = (options.Text("--configurations") ?? "off,emf,tracing,export").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Append("off").ToHashSet(StringComparer.Ordinal);
        if (selected.Except(["off", "emf", "tracing", "export"]).FirstOrDefault() is { } unknown)
        {
            await Console.Error.WriteLineAsync($"--configurations: unknown configuration '{unknown}'.\nUsage: {Usage}");
            return 2;
        }

        if (sampled > 1 || invocations < blocks || (storeLatencyMs > 0 && !itemRoute))
        {
            await Console.Error.WriteLineAsync($"--sampled must be at most 1, --invocations at least --blocks, and --store-latency-ms goes with --route item.\nUsage: {Usage}");
            return 2;
        }

        if (await options.ReportErrorAsync(Usage) is { } error)
        {
            return error;
        }

        // Every configuration of every build reads the same item from the same dynalite.
        await using var dynalite = itemRoute ? await DynaliteServer.StartNewAsync() : null;
        await using var proxy = dynalite is not null && storeLatencyMs > 0 ? DelayingTcpProxy.InFrontOf(dynalite, TimeSpan.FromMilliseconds(storeLatencyMs)) : null;
        var (eventJson, store) = dynalite is null
            ? (BenchmarkEvents.SmallGet(LambdaEventSource.HttpApi), new Dictionary<string, string?>())
            : await ItemReadAsync(apps[0], proxy?.ServiceUrl ?? dynalite.ServiceUrl);
        var routeName = itemRoute ? "GET /items/{id}" : "GET /calculator/add/1/2";

        using var receiver = new OtlpReceiver(keepSpans: false);
        var configurations = Configurations(receiver.Endpoint, store).Where(c => selected.Contains(c.Name)).ToList();
        foreach (var (_, environment) in configurations)
        {
            foreach (var (name, value) in extra)
            {
                environment[name] = value;
            }
        }

        var subjects = apps.SelectMany((app, index) => configurations.Select(c => new Subject(app, apps.Count == 1 ? c.Name : $"{c.Name}@{index + 1}", c.Name, c.Environment))).ToList();

        for (var index = 0; index < apps.Count && apps.Count > 1; index++)
        {
            Console.WriteLine($"@{index + 1}: {apps[index]}");
        }

        for (var run = 1; run <= coldRuns; run++)
        {
            foreach (var subject in subjects)
            {
                var (elapsed, init) = await ColdStartAsync(subject.App, eventJson, subject.Environment);
                subject.Cold.Add(elapsed.TotalMilliseconds);
                subject.Init.Add(init.TotalMilliseconds);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"cold run {run,2} {subject.Name,-10}: {elapsed.TotalMilliseconds,7:0.0} ms (init {init.TotalMilliseconds:0.0} ms + first invocation {(elapsed - init).TotalMilliseconds:0.0} ms)"));
            }
        }

        for (var round = 1; round <= rounds; round++)
        {
            // Fresh processes every round: one process's luck (its memory layout, the core it runs on) stays in one
            // round's ratio instead of biasing every round of its configuration.
            var functions = new List<(Subject Subject, LambdaRuntimeApiServer Api, LambdaFunctionProcess Process)>();
            try
            {
                foreach (var subject in subjects)
                {
                    var api = await LambdaRuntimeApiServer.StartAsync(new LambdaRuntimeApiOptions { FunctionName = "CloudNativeApp" });
                    var process = LambdaFunctionProcess.Start(api, subject.App, subject.Environment);
                    functions.Add((subject, api, process));
                    await SendAsync(api, eventJson, invocations / 2, process, sampled); // warm-up
                }

                // Each round starts with another configuration, so none is always measured right after the same one;
                // then every process gets a block of the round's invocations in turn.
                var order = Enumerable.Range(0, functions.Count).Select(step => functions[(round - 1 + step) % functions.Count]).ToList();
                var cpu = new double[order.Count];
                var wall = new double[order.Count];
                for (var block = 0; block < blocks; block++)
                {
                    var first = invocations * block / blocks;
                    var count = (invocations * (block + 1) / blocks) - first;
                    for (var f = 0; f < order.Count; f++)
                    {
                        var (_, api, process) = order[f];
                        var cpuBefore = ProcessCpuTime.Read(process.ProcessId);
                        var started = Stopwatch.GetTimestamp();
                        await SendAsync(api, eventJson, count, process, sampled, first);
                        wall[f] += Stopwatch.GetElapsedTime(started).TotalMicroseconds;
                        cpu[f] += (ProcessCpuTime.Read(process.ProcessId) - cpuBefore).TotalMicroseconds;
                    }
                }

                for (var f = 0; f < order.Count; f++)
                {
                    var (subject, _, process) = order[f];
                    subject.Cpu.Add(cpu[f] / invocations);
                    subject.RoundTrip.Add(wall[f] / invocations);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"warm round {round} {subject.Name,-10} (pid {process.ProcessId}): function CPU {cpu[f] / invocations,6:0.0} µs/invocation, round trip {wall[f] / invocations,6:0.0} µs"));
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
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"medians ({coldRuns} cold starts, {rounds} × {invocations} warm invocations of {routeName}{(proxy is null ? "" : $" with a {storeLatencyMs} ms store latency")} in {blocks} blocks, {sampled:0.###} of them sampled; {receiver.Exports} OTLP exports received);"));
        Console.WriteLine("ratios to off: the median of each round's ratio to the same build's off in that round [interquartile range], and their mean ± its 95 % confidence interval:");
        foreach (var subject in subjects)
        {
            var off = subjects.First(s => s.App == subject.App && s.Configuration == "off");
            var cold = string.Create(CultureInfo.InvariantCulture,
                $"cold start {Median(subject.Cold),6:0.0} ms ({Median(subject.Cold) - Median(off.Cold),+5:0.0} ms; init {Median(subject.Init) - Median(off.Init),+5:0.0} ms, first invocation {Median(subject.FirstInvocation) - Median(off.FirstInvocation),+5:0.0} ms)");
            var warm = rounds == 0 ? "" : string.Create(CultureInfo.InvariantCulture,
                $", function CPU {Median(subject.Cpu),6:0.0} µs/invocation ({PairedRatio(subject.Cpu, off.Cpu)}), round trip {Median(subject.RoundTrip),6:0.0} µs ({PairedRatio(subject.RoundTrip, off.RoundTrip)})");
            // Tracing's and export's own cost: over the same build's emf, which they include (EMF stays on, as deployed).
            var emf = subjects.FirstOrDefault(s => s.App == subject.App && s.Configuration == "emf");
            var overEmf = rounds == 0 || emf is null || subject.Configuration is "off" or "emf" ? "" : string.Create(CultureInfo.InvariantCulture,
                $"; over emf: function CPU {PairedRatio(subject.Cpu, emf.Cpu)}, round trip {PairedRatio(subject.RoundTrip, emf.RoundTrip)}");
            Console.WriteLine($"  {subject.Name,-10}: {cold}{warm}{overEmf}");
        }

        return 0;
    }

    /// <summary>One configuration of one build, and what was measured of it.</summary>
    private sealed record Subject(string App, string Name, string Configuration, Dictionary<string, string?> Environment)
    {
        public List<double> Cold { get; } = [];

        /// <summary>Process start → the function's first <c>/next</c>; the rest of a cold start is its first invocation.</summary>
        public List<double> Init { get; } = [];

        public List<double> FirstInvocation => [.. Cold.Zip(Init, (cold, init) => cold - init)];

        public List<double> Cpu { get; } = [];

        public List<double> RoundTrip { get; } = [];
    }

    /// <summary>
    /// Creates the item the <c>item</c> route reads, in a new table at <paramref name="serviceUrl"/>; returns the read and
    /// the settings that point the app at that table.
    /// </summary>
    private static async Task<(byte[] Read, Dictionary<string, string?> Store)> ItemReadAsync(string app, string serviceUrl)
    {
        var store = BenchmarkItemStore.DynamoDbEnvironment(serviceUrl);
        var read = await BenchmarkItemStore.CreateItemAsync(app, store);

        // As deployed: the table exists, and the default Auth mode (API Gateway's, reads anonymous); only the write
        // that made the item needed Auth:Mode None.
        store["Items__CreateTable"] = "false";
        store.Remove("Auth__Mode");
        return (read, store);
    }

    private static List<(string Name, Dictionary<string, string?> Environment)> Configurations(string otlpEndpoint, IReadOnlyDictionary<string, string?> store)
    {
        // As deployed: Production, the DynamoDB store configured (on the calculator route with a table it never calls),
        // no rate limit.
        Dictionary<string, string?> Deployed(params (string Key, string Value)[] extra)
        {
            var environment = new Dictionary<string, string?>(StringComparer.Ordinal) { ["Items__TableName"] = "CloudNativeApp-Items", ["RateLimiting__Enabled"] = "false" };
            foreach (var (key, value) in store)
            {
                environment[key] = value;
            }

            foreach (var (key, value) in extra)
            {
                environment[key] = value;
            }

            return environment;
        }

        return
        [
            ("off", Deployed(("Observability__EmfMetrics", "false"))),
            ("emf", Deployed()),
            ("tracing", Deployed(("OTEL_EXPORTER_OTLP_ENDPOINT", otlpEndpoint), ("OTEL_TRACES_EXPORTER", "none"), ("OTEL_METRICS_EXPORTER", "none"))),
            ("export", Deployed(("OTEL_EXPORTER_OTLP_ENDPOINT", otlpEndpoint), ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"))),
        ];
    }

    private static async Task<(TimeSpan ColdStart, TimeSpan Init)> ColdStartAsync(string app, byte[] eventJson, IReadOnlyDictionary<string, string?> environment)
    {
        await using var api = await LambdaRuntimeApiServer.StartAsync(new LambdaRuntimeApiOptions { FunctionName = "CloudNativeApp" });
        var invocation = api.InvokeAsync(Invocation(eventJson, sampled: true));
        await using var function = LambdaFunctionProcess.Start(api, app, environment);
        if (await Task.WhenAny(invocation, function.Exited).WaitAsync(Patience) != invocation)
        {
            throw new InvalidOperationException($"The app exited with {await function.Exited} before answering. Output:\n{function.Output}");
        }

        var outcome = await invocation;
        EnsureAnswered(outcome, function);
        await function.StopAsync(TimeSpan.FromSeconds(5));
        return (Stopwatch.GetElapsedTime(function.StartTimestamp, outcome.CompletedTimestamp), Stopwatch.GetElapsedTime(function.StartTimestamp, outcome.DeliveredTimestamp));
    }

    private static async Task SendAsync(LambdaRuntimeApiServer api, byte[] payload, int count, LambdaFunctionProcess function, double sampled, int first = 0)
    {
        for (var i = first; i < first + count; i++)
        {
            // Evenly spread over the round (first: where this block starts in it) and the same for every configuration:
            // invocation i is sampled when i × rate passes a whole number.
            EnsureAnswered(await api.InvokeAsync(Invocation(payload, Math.Floor((i + 1) * sampled) > Math.Floor(i * sampled))), function);
        }
    }

    // A new trace per invocation, as with active tracing, where X-Ray's sampling decision comes in the header: a sampled
    // invocation makes spans to export, an unsampled one only non-recorded activities.
    private static InvocationRequest Invocation(byte[] payload, bool sampled)
    {
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        return new InvocationRequest(payload)
        {
            TraceId = $"Root=1-{traceId[..8]}-{traceId[8..]};Parent={ActivitySpanId.CreateRandom().ToHexString()};Sampled={(sampled ? 1 : 0)}",
            Timeout = Patience,
        };
    }

    private static void EnsureAnswered(InvocationOutcome outcome, LambdaFunctionProcess function)
    {
        if (outcome.ResponseJson().GetProperty("statusCode").GetInt32() != 200)
        {
            throw new InvalidOperationException($"Unexpected response {outcome.ResponseText}. Output:\n{function.Output}");
        }
    }

    private static double Median(List<double> values) => Quantile(values, 0.5);

    // Rounds pair up: a burst of load elsewhere on the machine slows the configurations of one round together, and a
    // ratio within the round cancels most of it where a ratio of medians would not.
    private static string PairedRatio(List<double> values, List<double> baseline)
    {
        var ratios = values.Zip(baseline, (value, off) => value / off).ToList();
        if (ratios.Count < 2)
        {
            return string.Create(CultureInfo.InvariantCulture, $"×{Median(ratios):0.000}");
        }

        // The mean with its 95 % confidence interval (Student's t with one degree of freedom less than the rounds):
        // the ± says whether the run measured a difference as small as the one asked about.
        var mean = ratios.Average();
        var halfWidth = StudentT95(ratios.Count - 1) * Math.Sqrt(ratios.Sum(r => (r - mean) * (r - mean)) / (ratios.Count - 1) / ratios.Count);
        return string.Create(CultureInfo.InvariantCulture, $"×{Median(ratios):0.000} [{Quantile(ratios, 0.25):0.000}–{Quantile(ratios, 0.75):0.000}], mean ×{mean:0.000} ± {halfWidth:0.000}");
    }

    // Two-sided 95 % quantiles of Student's t for 1–30 degrees of freedom; the normal distribution's beyond.
    private static readonly double[] StudentT =
    [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
        2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
    ];

    private static double StudentT95(int degreesOfFreedom) => degreesOfFreedom <= StudentT.Length ? StudentT[degreesOfFreedom - 1] : 1.96;

    private static double Quantile(List<double> values, double quantile)
    {
        var sorted = values.Order().ToList();
        var position = quantile * (sorted.Count - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Count - 1);
        return sorted[below] + ((sorted[above] - sorted[below]) * (position - below));
    }
}
