namespace CloudNativeApp.Lambda.EndToEnd.Tests;

/// <summary>
/// The published bootstrap on Lambda Managed Instances (<c>AWS_LAMBDA_MAX_CONCURRENCY</c>): one process serves many
/// invocations at once, against a DynamoDB that answers in about 100 ms (dynalite behind a delaying proxy). The
/// acceptance ratio (16 reads in ≤ 0.2× the time without the variable) is measured side by side by the benchmarks'
/// concurrency mode (docs/performance.md); here the timings are reported, not asserted.
/// </summary>
[Collection(UsesPublishedApp.Name)]
public sealed class ManagedInstancesTests(PublishedApp app, ITestOutputHelper output) : IAsyncLifetime
{
    private const int Items = 16;
    private const int MaxConcurrency = 8;
    private static readonly TimeSpan DynamoDbLatency = TimeSpan.FromMilliseconds(100);

    private ProxiedDynamoDb slowDynamoDb = null!;

    public async Task InitializeAsync() => slowDynamoDb = await ProxiedDynamoDb.StartAsync(DynamoDbLatency, "e2e-mi");

    public async Task DisposeAsync() => await slowDynamoDb.DisposeAsync();

    [Fact]
    public async Task Sixteen_concurrent_reads_with_max_concurrency_8_are_each_answered_with_their_own_item_and_8_polls_wait_once_idle()
    {
        var ids = await CreateItemsAsync();
        await using var oneAtATime = await app.StartFunctionAsync(Environment(createTable: false));
        await using var concurrent = await app.StartFunctionAsync(Environment(createTable: false), new LambdaRuntimeApiOptions { FunctionName = "CloudNativeApp", MaxConcurrency = MaxConcurrency });

        // Both warm, the concurrent one with a DynamoDB connection per worker, so only the reads themselves are timed.
        await ReadAllAsync(oneAtATime, ids[..1]);
        await ReadAllAsync(concurrent, ids[..MaxConcurrency]);

        var serial = await ReadAllAsync(oneAtATime, ids);
        var parallel = await ReadAllAsync(concurrent, ids);
        output.WriteLine($"{Items} reads, DynamoDB {DynamoDbLatency.TotalMilliseconds} ms: one at a time {serial.TotalMilliseconds:0} ms, "
            + $"AWS_LAMBDA_MAX_CONCURRENCY={MaxConcurrency} {parallel.TotalMilliseconds:0} ms ({parallel / serial:0.00}x).");

        Assert.Equal(1, oneAtATime.Api.MostConcurrentPolls);
        await WaitUntilAsync(() => concurrent.Api.WaitingForNext == MaxConcurrency);
        Assert.Equal(MaxConcurrency, concurrent.Api.MostConcurrentPolls);
    }

    /// <summary>Reads every id at once; each invocation must answer with its own item.</summary>
    private static async Task<TimeSpan> ReadAllAsync(PublishedFunction function, string[] ids)
    {
        var stopwatch = Stopwatch.StartNew();
        var reads = await Task.WhenAll(ids.Select(id => function.SendAsync(HttpEvent.Get(HttpEventSource.HttpApi, $"/items/{id}"))));
        var elapsed = stopwatch.Elapsed;
        for (var i = 0; i < ids.Length; i++)
        {
            Assert.Equal(200, reads[i].StatusCode);
            Assert.Equal(ids[i], reads[i].BodyJson().GetProperty("id").GetString());
        }

        return elapsed;
    }

    private async Task<string[]> CreateItemsAsync()
    {
        var environment = Environment(createTable: true);
        environment["AWS__ServiceURL"] = slowDynamoDb.Dynalite.ServiceUrl;
        await using var writer = await app.StartFunctionAsync(environment);
        var ids = new string[Items];
        for (var i = 0; i < Items; i++)
        {
            var created = await writer.SendAsync(HttpEvent.PostJson(HttpEventSource.HttpApi, "/items", $$"""{"name":"item {{i}}","category":"mi"}"""));
            Assert.Equal(201, created.StatusCode);
            ids[i] = created.BodyJson().GetProperty("id").GetString()!;
        }

        return ids;
    }

    private Dictionary<string, string?> Environment(bool createTable)
    {
        var environment = slowDynamoDb.Environment(createTable);
        environment["Items__TimeoutSeconds"] = 10.ToString(CultureInfo.InvariantCulture);
        return environment;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < PublishedFunction.Patience, "Timed out waiting for the function.");
            await Task.Delay(10);
        }
    }
}
