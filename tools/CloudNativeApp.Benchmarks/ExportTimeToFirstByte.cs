using System.Text;

namespace CloudNativeApp.Benchmarks;

/// <summary>
/// Time to first byte of <c>GET /items/export</c> through a Function URL event, streamed
/// (<c>Lambda__ResponseStreaming=true</c>) and buffered, on a published build with the in-memory store (or, with
/// <c>--store DynamoDB</c>, a table on dynalite) holding items with 2,000-character descriptions. Measured at the local
/// Runtime API from the delivery of the event: the first byte of the body after the streamed prelude, or the buffered
/// response (which arrives whole). Exports past Lambda's 6 MB buffered limit are a 500 problem when buffered.
/// Streaming's acceptance (#10): the first byte of a streamed export past 6 MB at ≤ 0.5× its total time.
/// </summary>
public static class ExportTimeToFirstByte
{
    private const string Usage =
        "export-ttfb --app <published bootstrap> [--items 1000,2000,3200] [--runs 5] [--store InMemory|DynamoDB]";

    public static async Task<int> RunAsync(string[] args)
    {
        var options = BenchmarkOptions.Parse(args, ["--app", "--items", "--runs", "--store"]);
        var apps = options.Files("--app");
        var itemCounts = options.Ints("--items", [1000, 2000, 3200]);
        var runs = options.Int("--runs", 5);
        var dynamoDb = options.Choice("--store", "InMemory", "InMemory", "DynamoDB") == "DynamoDB";
        if (await options.ReportErrorAsync(Usage) is { } error)
        {
            return error;
        }

        var app = apps[^1];

        await using var dynalite = dynamoDb ? await DynaliteServer.StartNewAsync() : null;
        Console.WriteLine($"store: {(dynalite is null ? "InMemory" : "DynamoDB (dynalite)")}");
        Console.WriteLine("| items | mode | status | body bytes | first byte (median) | complete (median) | first byte / complete |");
        Console.WriteLine("| ---: | --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var items in itemCounts)
        {
            foreach (var streaming in new[] { true, false })
            {
                await MeasureAsync(app, items, streaming, runs, dynalite);
            }
        }

        return 0;
    }

    private static async Task MeasureAsync(string app, int items, bool streaming, int runs, DynaliteServer? dynalite)
    {
        var environment = new Dictionary<string, string?>
        {
            ["Items__Store"] = "InMemory",
            ["Auth__Mode"] = "None",
            ["RateLimiting__Enabled"] = "false",
            ["Lambda__ResponseStreaming"] = streaming ? "true" : "false",
        };
        if (dynalite is not null)
        {
            environment["Items__Store"] = "DynamoDB";
            environment["Items__TableName"] = $"bench-export-{Guid.NewGuid():N}";
            environment["Items__CreateTable"] = "true";
            environment["AWS__ServiceURL"] = dynalite.ServiceUrl;
            environment["AWS__Region"] = "us-east-1";
        }

        await using var api = await LambdaRuntimeApiServer.StartAsync(new LambdaRuntimeApiOptions { FunctionName = "CloudNativeApp" });
        await using var process = LambdaFunctionProcess.Start(api, app, environment);
        try
        {
            var description = string.Concat(Enumerable.Repeat("Exported in one stream. ", 84))[..2000];
            for (var i = 0; i < items; i++)
            {
                var created = await api.InvokeAsync(
                    BenchmarkEvents.PostJson(LambdaEventSource.HttpApi, "/items", $$"""{"name":"Item {{i}}","description":"{{description}}","category":"bulk"}"""),
                    TimeSpan.FromSeconds(30));
                if (created.ResponseJson().GetProperty("statusCode").GetInt32() != 201)
                {
                    throw new InvalidOperationException($"Seeding failed: {created.ResponseText}");
                }
            }

            var export = BenchmarkEvents.FunctionUrlGet("/items/export");
            await api.InvokeAsync(export, TimeSpan.FromSeconds(60)); // warm-up
            var firstBytes = new List<double>();
            var totals = new List<double>();
            var status = 0;
            var bytes = 0;
            for (var run = 0; run < runs; run++)
            {
                var outcome = (await api.InvokeAsync(export, TimeSpan.FromSeconds(60))).EnsureSucceeded();
                if (outcome.Streamed is { } streamed)
                {
                    status = streamed.Prelude().GetProperty("statusCode").GetInt32();
                    bytes = streamed.Body.Length;
                    firstBytes.Add(outcome.TimeToFirstBodyByte!.Value.TotalMilliseconds);
                }
                else
                {
                    var response = outcome.ResponseJson();
                    status = response.GetProperty("statusCode").GetInt32();
                    bytes = Encoding.UTF8.GetByteCount(response.GetProperty("body").GetString()!);
                    firstBytes.Add(outcome.Duration.TotalMilliseconds);
                }

                totals.Add(outcome.Duration.TotalMilliseconds);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {items:N0} | {(streaming ? "streamed" : "buffered")} | {status} | {bytes:N0} | {BenchmarkStatistics.Median(firstBytes):0.0} ms | {BenchmarkStatistics.Median(totals):0.0} ms | {BenchmarkStatistics.Median(firstBytes) / BenchmarkStatistics.Median(totals):0.00}× |"));
        }
        finally
        {
            await process.StopAsync(TimeSpan.FromSeconds(5));
        }
    }

}
