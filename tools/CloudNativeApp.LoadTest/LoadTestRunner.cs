using System.Diagnostics;

namespace CloudNativeApp.LoadTest;

/// <summary>
/// The whole experiment: dynalite on disk, the app on Kestrel against it, N clients for a bounded time and request
/// count, optionally a SIGKILL of dynalite and a restart on the same data, then a read-back of every acknowledged write.
/// Everything listens on loopback only and is stopped at the end.
/// </summary>
public static class LoadTestRunner
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    public static Task<LoadTestReport> RunAsync(LoadTestOptions options, TextWriter? log = null, CancellationToken cancellationToken = default) =>
        RunAsync(options, log, beforeVerification: null, cancellationToken);

    /// <param name="beforeVerification">
    /// Runs after the load and before the read-back, with the app and every item's history: the harness's own tests
    /// use it to lose writes behind the app's back and check that the verification reports exactly those.
    /// </param>
    internal static async Task<LoadTestReport> RunAsync(
        LoadTestOptions options,
        TextWriter? log,
        Func<AppUnderTest, IReadOnlyList<ItemHistory>, Task>? beforeVerification,
        CancellationToken cancellationToken)
    {
        options.Validate();
        log ??= TextWriter.Null;
        var dataPath = Directory.CreateTempSubdirectory("cloudnativeapp-loadtest-").FullName;
        try
        {
            await using var dynalite = await DynaliteServer.StartNewAsync(dataPath, cancellationToken);
            await using var app = AppUnderTest.StartWithDynamoDb(dynalite.ServiceUrl, $"LoadTest-{Guid.NewGuid():N}");
            using var http = CreateClient(app.BaseAddress, options);
            await WaitUntilReadyAsync(http, cancellationToken);
            log.WriteLine($"dynalite on {dynalite.ServiceUrl} (data in {dataPath}), app on {app.BaseAddress}");

            var clock = Stopwatch.StartNew();
            var budget = new RequestBudget(options.MaxRequests);
            var clients = Enumerable.Range(0, options.Clients)
                .Select(index => new LoadClient(http, new Random(HashCode.Combine(options.Seed, index)), clock, budget))
                .ToList();

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            stop.CancelAfter(options.Duration);
            var running = clients.Select(client => Task.Run(() => client.RunAsync(stop.Token), CancellationToken.None)).ToList();
            var fault = options.InjectFault ? InjectFaultAsync(dynalite, options, clock, log, stop.Token) : Task.FromResult<FaultTimeline?>(null);

            await Task.WhenAll(running);
            var elapsed = clock.Elapsed;
            var timeline = await fault;
            log.WriteLine($"clients stopped after {elapsed.TotalSeconds:F1} s and {Math.Min(budget.Taken, options.MaxRequests)} requests; reading everything back");

            // The request bound may end the run during an outage: bring the data back before judging it.
            if (!dynalite.IsRunning)
            {
                await dynalite.StartAsync(cancellationToken);
            }

            await WaitUntilReadyAsync(http, cancellationToken);
            var items = clients.SelectMany(client => client.Items).ToList();
            if (beforeVerification is not null)
            {
                await beforeVerification(app, items);
            }

            var verification = await new WriteVerifier(http).VerifyAsync(items, clients.Sum(client => client.UnknownCreates), cancellationToken);

            return new LoadTestReport
            {
                Options = options,
                Elapsed = elapsed,
                Requests = clients.SelectMany(client => client.Requests).OrderBy(request => request.Start).ToList(),
                Verification = verification,
                IncorrectResponses = clients.SelectMany(client => client.IncorrectResponses).ToList(),
                ReadMismatches = clients.SelectMany(client => client.ReadMismatches).ToList(),
                Fault = timeline,
            };
        }
        finally
        {
            TryDelete(dataPath);
        }
    }

    private static async Task<FaultTimeline?> InjectFaultAsync(DynaliteServer dynalite, LoadTestOptions options, Stopwatch clock, TextWriter log, CancellationToken stop)
    {
        var untilKill = options.EffectiveFaultAt - clock.Elapsed;
        if (untilKill > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(untilKill, stop);
            }
            catch (OperationCanceledException)
            {
                return null; // the request bound ended the run first
            }
        }

        // Stamped before the signal: waiting for the process to exit (or for `kill` to run) can take hundreds of
        // milliseconds on a loaded machine, and requests already fail during that time.
        var killedAt = clock.Elapsed;
        if (options.FreezeInsteadOfKill)
        {
            dynalite.Freeze();
        }
        else
        {
            await dynalite.StopAsync();
        }

        log.WriteLine($"{killedAt.TotalSeconds:F1} s: dynalite {(options.FreezeInsteadOfKill ? "frozen (SIGSTOP)" : "killed (SIGKILL)")}");

        // The restart happens even if the run is stopping, so the data is back for the read-back.
        await Task.Delay(options.Outage, CancellationToken.None);
        if (options.FreezeInsteadOfKill)
        {
            dynalite.Thaw();
        }
        else
        {
            await dynalite.StartAsync(CancellationToken.None);
        }

        var restoredAt = clock.Elapsed;
        log.WriteLine($"{restoredAt.TotalSeconds:F1} s: dynalite {(options.FreezeInsteadOfKill ? "continued (SIGCONT)" : "restarted on the same data")}");
        return new FaultTimeline(killedAt, restoredAt);
    }

    private static HttpClient CreateClient(Uri baseAddress, LoadTestOptions options) =>
        new(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = options.Clients * 2,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
        })
        {
            BaseAddress = baseAddress,
            Timeout = options.RequestTimeout,
        };

    /// <summary>/health/ready checks the item store, so 200 means the table exists and DynamoDB answers.</summary>
    private static async Task WaitUntilReadyAsync(HttpClient http, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var response = await http.GetAsync("health/ready", cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (waited.Elapsed < ReadyTimeout)
            {
            }

            if (waited.Elapsed > ReadyTimeout)
            {
                throw new TimeoutException($"The app did not report ready (GET /health/ready = 200) within {ReadyTimeout.TotalSeconds} s.");
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is not worth failing a run for.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
