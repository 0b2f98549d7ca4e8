using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;

namespace CloudNativeApp.Lambda.EndToEnd.Tests;

/// <summary>
/// The acceptance test of response streaming: an export larger than Lambda's 6 MB buffered limit, through a
/// Function URL event, with <c>Lambda__ResponseStreaming=true</c> and without.
/// </summary>
[Collection(UsesPublishedApp.Name)]
public sealed class ExportStreamingTests(PublishedApp app, SeededItemTable table, ITestOutputHelper output) : IClassFixture<SeededItemTable>
{
    private const int BufferedLimit = 6_291_456;

    [Fact]
    public async Task Streamed_an_export_larger_than_6_MB_arrives_whole_as_a_stream()
    {
        await using var function = await StartAsync(streaming: true);

        var outcome = await function.InvokeAsync(FunctionUrlEvent("/items/export"));

        var streamed = outcome.EnsureSucceeded().Streamed ?? throw new InvalidOperationException("The response was not streamed.");
        Assert.Null(streamed.Error);
        var prelude = streamed.Prelude();
        Assert.Equal(200, prelude.GetProperty("statusCode").GetInt32());
        Assert.Equal("application/x-ndjson", prelude.GetProperty("headers").GetProperty("Content-Type").GetString());
        Assert.True(streamed.Body.Length > BufferedLimit, $"{streamed.Body.Length} bytes");
        var ids = Encoding.UTF8.GetString(streamed.Body.Span).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonNode.Parse(line)!["id"]!.GetValue<string>())
            .ToList();
        Assert.Equal(table.Ids.Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));

        // Streamed, not buffered and sent at the end: the body came in several reads, its first byte before the end.
        // The time-to-first-byte ratio itself (≤ 0.5×) is measured by the benchmarks' export-ttfb mode.
        var firstByte = outcome.TimeToFirstBodyByte!.Value;
        output.WriteLine($"{streamed.Body.Length:N0} bytes in {streamed.Reads} reads; first body byte after {firstByte.TotalMilliseconds:0} ms of {outcome.Duration.TotalMilliseconds:0} ms.");
        Assert.True(streamed.Reads > 1, $"{streamed.Reads} reads");
        Assert.True(firstByte < outcome.Duration, $"first body byte after {firstByte}, complete after {outcome.Duration}");
    }

    [Fact]
    public async Task Buffered_the_same_export_is_a_500_problem_that_names_the_limit_and_fits_it()
    {
        await using var function = await StartAsync(streaming: false);

        var outcome = await function.InvokeAsync(FunctionUrlEvent("/items/export"));

        Assert.Equal(InvocationStatus.Succeeded, outcome.Status);
        Assert.Null(outcome.Streamed);
        Assert.InRange(outcome.Response.Length, 1, BufferedLimit);
        var response = outcome.ResponseJson();
        Assert.Equal(500, response.GetProperty("statusCode").GetInt32());
        using var problem = JsonDocument.Parse(response.GetProperty("body").GetString()!);
        var detail = problem.RootElement.GetProperty("detail").GetString();
        Assert.Contains("6,291,456", detail, StringComparison.Ordinal);
        Assert.Contains("Lambda:ResponseStreaming", detail, StringComparison.Ordinal);

        // The function is fine afterwards.
        var read = await function.InvokeAsync(FunctionUrlEvent($"/items/{table.Ids[0]}"));
        Assert.Equal(200, read.ResponseJson().GetProperty("statusCode").GetInt32());
    }

    private async Task<PublishedFunction> StartAsync(bool streaming)
    {
        var environment = AppEnvironment.DynamoDb(table.Dynalite, table.TableName);
        environment["DOTNET_USE_POLLING_FILE_WATCHER"] = "true";
        environment["Lambda__ResponseStreaming"] = streaming ? "true" : "false";
        var function = await app.StartFunctionAsync(environment);
        try
        {
            using var patience = new CancellationTokenSource(PublishedFunction.Patience);
            await function.Api.WaitForFunctionAsync(patience.Token); // the app has created the table
            await table.SeedOnceAsync();
            return function;
        }
        catch
        {
            await function.DisposeAsync();
            throw;
        }
    }

    /// <summary>A Function URL event (payload 2.0 on a <c>lambda-url</c> domain) from an IAM-authenticated caller.</summary>
    private static string FunctionUrlEvent(string path) => new JsonObject
    {
        ["version"] = "2.0",
        ["routeKey"] = "$default",
        ["rawPath"] = path,
        ["rawQueryString"] = "",
        ["headers"] = new JsonObject
        {
            ["accept"] = "application/x-ndjson",
            ["host"] = "abcdefghijklmnop.lambda-url.us-east-1.on.aws",
            ["x-forwarded-proto"] = "https",
            ["x-forwarded-port"] = "443",
        },
        ["requestContext"] = new JsonObject
        {
            ["accountId"] = "123456789012",
            ["apiId"] = "abcdefghijklmnop",
            ["authorizer"] = new JsonObject
            {
                ["iam"] = new JsonObject
                {
                    ["accessKey"] = "AKIAEXAMPLE",
                    ["accountId"] = "123456789012",
                    ["callerId"] = "AIDAEXAMPLE",
                    ["userArn"] = "arn:aws:iam::123456789012:user/exporter",
                    ["userId"] = "AIDAEXAMPLE",
                },
            },
            ["domainName"] = "abcdefghijklmnop.lambda-url.us-east-1.on.aws",
            ["domainPrefix"] = "abcdefghijklmnop",
            ["http"] = new JsonObject { ["method"] = "GET", ["path"] = path, ["protocol"] = "HTTP/1.1", ["sourceIp"] = "198.51.100.7", ["userAgent"] = "curl/8.5.0" },
            ["requestId"] = Guid.NewGuid().ToString(),
            ["routeKey"] = "$default",
            ["stage"] = "$default",
            ["time"] = "02/Dec/2026:03:29:10 +0000",
            ["timeEpoch"] = 1_796_095_750_000,
        },
        ["isBase64Encoded"] = false,
    }.ToJsonString();
}

/// <summary>
/// dynalite with one item table (created by the first function, as deployed) holding 3,200 items with
/// 2,000-character descriptions, about 7 MB as NDJSON, written straight into the table with BatchWriteItem.
/// </summary>
public sealed class SeededItemTable : IAsyncLifetime
{
    public const int ItemCount = 3_200;

    private readonly Lazy<Task> seeding;

    public SeededItemTable() => seeding = new(SeedAsync);

    public DynaliteServer Dynalite { get; } = new();

    public string TableName { get; } = $"e2e-export-{Guid.NewGuid():N}";

    public IReadOnlyList<string> Ids { get; } = [.. Enumerable.Range(0, ItemCount).Select(i => $"export-{i:D5}-{Guid.NewGuid():N}")];

    public Task InitializeAsync() => Dynalite.StartAsync();

    public async Task DisposeAsync() => await Dynalite.DisposeAsync();

    /// <summary>Seeds the table once the first function has created it; later calls wait for the same seeding.</summary>
    public Task SeedOnceAsync() => seeding.Value;

    private async Task SeedAsync()
    {
        using var client = new AmazonDynamoDBClient(
            new BasicAWSCredentials("local", "local"),
            new AmazonDynamoDBConfig { ServiceURL = Dynalite.ServiceUrl, AuthenticationRegion = "us-east-1" });
        var description = string.Concat(Enumerable.Repeat("Exported in one stream. ", 84))[..2000];
        var createdAt = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        var batches = Ids.Chunk(25).Select(batch => new BatchWriteItemRequest
        {
            RequestItems = new()
            {
                [TableName] = [.. batch.Select(id => new WriteRequest(new PutRequest(new Dictionary<string, AttributeValue>
                {
                    ["id"] = new() { S = id },
                    ["name"] = new() { S = $"Item {id[7..12]}" },
                    ["description"] = new() { S = description },
                    ["category"] = new() { S = "bulk" },
                    ["tags"] = new() { L = [new() { S = "export" }] },
                    ["createdAt"] = new() { S = createdAt },
                    ["updatedAt"] = new() { S = createdAt },
                    ["version"] = new() { N = "0" },
                })))],
            },
        });

        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (request, cancellationToken) =>
        {
            while (request.RequestItems.Count > 0)
            {
                var response = await client.BatchWriteItemAsync(request, cancellationToken);
                request = new BatchWriteItemRequest { RequestItems = response.UnprocessedItems ?? [] };
            }
        });
    }
}
