using System.Globalization;
using System.Text;
using CloudNativeApp.LambdaHosting;
using CloudNativeApp.LambdaRuntimeApi;

namespace CloudNativeApp.Benchmarks;

/// <summary>
/// Time to first byte of <c>GET /items/export</c> through a Function URL event, streamed
/// (<c>Lambda__ResponseStreaming=true</c>) and buffered, on a published build with the in-memory store holding items
/// with 2,000-character descriptions. Measured at the local Runtime API from the delivery of the event: the first
/// byte of the body after the streamed prelude, or the buffered response (which arrives whole). Exports past Lambda's
/// 6 MB buffered limit are a 500 problem when buffered.
/// </summary>
public static class ExportTimeToFirstByte
{
    private const string Usage = "Usage: export-ttfb --app <published bootstrap> [--items 1000,2000,3200] [--runs 5]";

    public static async Task<int> RunAsync(string[] args)
    {
        string? app = null;
        int[] itemCounts = [1000, 2000, 3200];
        var runs = 5;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--app" when i + 1 < args.Length && File.Exists(args[i + 1]):
                    app = args[++i];
                    break;
                case "--items" when i + 1 < args.Length:
                    itemCounts = [.. args[++i].Split(',').Select(count => int.Parse(count, NumberStyles.None, CultureInfo.InvariantCulture))];
                    break;
                case "--runs" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count > 0:
                    runs = count;
                    i++;
                    break;
                default:
                    await Console.Error.WriteLineAsync($"Unexpected argument '{args[i]}'.\n{Usage}");
                    return 2;
            }
        }

        if (app is null)
        {
            await Console.Error.WriteLineAsync($"Name the published app with --app.\n{Usage}");
            return 2;
        }

        Console.WriteLine("| items | mode | status | body bytes | first byte (median) | complete (median) |");
        Console.WriteLine("| ---: | --- | ---: | ---: | ---: | ---: |");
        foreach (var items in itemCounts)
        {
            foreach (var streaming in new[] { true, false })
            {
                await MeasureAsync(app, items, streaming, runs);
            }
        }

        return 0;
    }

    private static async Task MeasureAsync(string app, int items, bool streaming, int runs)
    {
        await using var api = await LambdaRuntimeApiServer.StartAsync(new LambdaRuntimeApiOptions { FunctionName = "CloudNativeApp" });
        await using var process = LambdaFunctionProcess.Start(api, app, new Dictionary<string, string?>
        {
            ["Items__Store"] = "InMemory",
            ["Auth__Mode"] = "None",
            ["RateLimiting__Enabled"] = "false",
            ["Lambda__ResponseStreaming"] = streaming ? "true" : "false",
        });
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
                $"| {items:N0} | {(streaming ? "streamed" : "buffered")} | {status} | {bytes:N0} | {Median(firstBytes):0.0} ms | {Median(totals):0.0} ms |"));
        }
        finally
        {
            await process.StopAsync(TimeSpan.FromSeconds(5));
        }
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values.Count % 2 == 1 ? values[values.Count / 2] : (values[(values.Count / 2) - 1] + values[values.Count / 2]) / 2;
    }
}
