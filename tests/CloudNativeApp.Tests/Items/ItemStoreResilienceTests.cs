using System.Net.Sockets;

namespace CloudNativeApp.Tests.Items;

/// <summary>DynamoDB outages: readiness, fast 503s with Retry-After, and recovery without a restart.</summary>
public sealed class ItemStoreResilienceTests
{
    // Generous for a loaded CI machine; the point is "seconds, not the SDK's 100 s per attempt".
    private static readonly TimeSpan Quickly = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Readiness_is_503_while_dynamodb_is_down_and_200_again_when_it_is_back()
    {
        await using var dynalite = await DynaliteServer.StartNewAsync();
        await using var app = new ItemsApp(ItemsApp.DynamoDbSettings(dynalite.ServiceUrl, ItemsApp.NewTableName(), timeoutSeconds: 2));
        using var client = app.CreateClient();
        using (var up = await client.GetAsync("/health/ready"))
        {
            Assert.Equal(HttpStatusCode.OK, up.StatusCode);
        }

        await dynalite.StopAsync();
        using (var down = await client.GetAsync("/health/ready"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        }

        using (var live = await client.GetAsync("/health"))
        {
            Assert.Equal(HttpStatusCode.OK, live.StatusCode); // liveness does not depend on DynamoDB
        }

        await dynalite.StartAsync(); // same port; this dynalite keeps nothing, so recreate the table through a new app
        await using var restarted = new ItemsApp(ItemsApp.DynamoDbSettings(dynalite.ServiceUrl, ItemsApp.NewTableName()));
        using var restartedClient = restarted.CreateClient();
        using var back = await restartedClient.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, back.StatusCode);
    }

    [Fact]
    public async Task Requests_get_a_quick_503_with_retry_after_when_dynamodb_is_down_and_work_again_when_it_returns()
    {
        var dataPath = Directory.CreateTempSubdirectory("dynalite-outage-").FullName;
        try
        {
            await using var dynalite = await DynaliteServer.StartNewAsync(dataPath);
            await using var app = new ItemsApp(ItemsApp.DynamoDbSettings(dynalite.ServiceUrl, ItemsApp.NewTableName(), timeoutSeconds: 2));
            using var client = app.CreateClient();
            var item = await client.CreateItemAsync(new { name = "Survivor" });

            await dynalite.StopAsync();
            var elapsed = Stopwatch.StartNew();
            using var get = await client.GetAsync($"/items/{item.Id()}");
            using var post = await client.SendJsonAsync(HttpMethod.Post, "/items", """{"name":"x"}""");
            using var list = await client.GetAsync("/items");
            elapsed.Stop();

            foreach (var response in new[] { get, post, list })
            {
                await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
                Assert.NotNull(response.Headers.RetryAfter?.Delta);
            }

            Assert.True(elapsed.Elapsed < Quickly * 3, $"Three requests against a dead store took {elapsed.Elapsed}.");

            await dynalite.StartAsync(); // same port and data: the running app recovers by itself
            using var recovered = await client.GetAsync($"/items/{item.Id()}");
            Assert.Equal(HttpStatusCode.OK, recovered.StatusCode);
        }
        finally
        {
            Directory.Delete(dataPath, recursive: true);
        }
    }

    [Fact]
    public async Task A_frozen_dynamodb_that_never_answers_gives_a_503_within_the_timeout_not_a_hang()
    {
        // Accepts connections and never answers: the failure mode that makes default SDK settings hang for minutes.
        using var frozen = new TcpListener(IPAddress.Loopback, 0);
        frozen.Start(backlog: 100);
        var port = ((IPEndPoint)frozen.LocalEndpoint).Port;
        List<TcpClient> held = [];
        using var stop = new CancellationTokenSource();
        var accepting = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    held.Add(await frozen.AcceptTcpClientAsync(stop.Token));
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        });

        var settings = ItemsApp.DynamoDbSettings($"http://127.0.0.1:{port}", ItemsApp.NewTableName(), timeoutSeconds: 1);
        settings["Items:CreateTable"] = "false";
        await using var app = new ItemsApp(settings);
        using var client = app.CreateClient();

        var elapsed = Stopwatch.StartNew();
        using var response = await client.GetAsync("/items/0123456789abcdef0123456789abcdef");
        elapsed.Stop();

        await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.True(elapsed.Elapsed < Quickly, $"A frozen store took {elapsed.Elapsed} to fail.");

        await stop.CancelAsync();
        await accepting;
        held.ForEach(connection => connection.Dispose());
    }
}
