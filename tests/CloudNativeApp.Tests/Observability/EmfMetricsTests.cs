extern alias RuntimeApi;

using System.Text.Json;
using RuntimeApi::CloudNativeApp.LambdaRuntimeApi;
using CloudNativeApp.Observability;

namespace CloudNativeApp.Tests.Observability;

/// <summary>CloudWatch Embedded Metric Format lines written by real invocations through the Lambda server.</summary>
[Collection(nameof(TelemetryListeners))]
public sealed class EmfMetricsTests
{
    private const string MissingItem = "/items/0123456789abcdef0123456789abcdef";

    [Fact]
    public async Task Each_invocation_writes_one_emf_line_with_its_route_status_and_duration()
    {
        await using var api = await LambdaRuntimeApiServer.StartAsync();
        await using var app = new ObservedApp(api.RuntimeApiAddress).Start();

        var first = (await api.InvokeAsync(HttpEvents.Get(MissingItem))).EnsureSucceeded();
        var second = (await api.InvokeAsync(HttpEvents.Get(MissingItem))).EnsureSucceeded();
        var third = (await api.InvokeAsync(HttpEvents.Get("/health"))).EnsureSucceeded();

        foreach (var outcome in new[] { first, second, third })
        {
            var line = await EmfLineAsync(app, outcome.RequestId);
            AssertIsEmf(line);
            Assert.IsType<double>(MetricValues(line, "RequestDuration").Single());
            Assert.Equal(["FunctionName", "Route", "StatusCode"], DimensionSetOf(line, "RequestDuration"));
        }

        var missing = await EmfLineAsync(app, first.RequestId);
        Assert.Equal("/items/{id}", missing.GetProperty("Route").GetString());
        Assert.Equal("404", missing.GetProperty("StatusCode").GetString());
        Assert.Equal("200", (await EmfLineAsync(app, third.RequestId)).GetProperty("StatusCode").GetString());
        Assert.Equal(3, app.EmfLines.Count);
    }

    [Fact]
    public async Task A_store_outage_is_counted_with_the_dynamodb_call_duration_by_operation()
    {
        await using var api = await LambdaRuntimeApiServer.StartAsync();
        await using var app = new ObservedApp(api.RuntimeApiAddress, new Dictionary<string, string?>
        {
            ["Items:Store"] = "DynamoDB",
            ["Items:TableName"] = "items",
            ["AWS:ServiceURL"] = "http://127.0.0.1:9",
            ["AWS:Region"] = "us-east-1",
        }).Start();

        var outcome = (await api.InvokeAsync(HttpEvents.Get(MissingItem))).EnsureSucceeded();

        var line = await EmfLineAsync(app, outcome.RequestId);
        AssertIsEmf(line);
        Assert.Equal("503", line.GetProperty("StatusCode").GetString());
        Assert.Equal(1, line.GetProperty("StoreOutages").GetDouble());
        Assert.Single(MetricValues(line, "DynamoDb.GetItem"));
        Assert.Equal(["FunctionName"], DimensionSetOf(line, "StoreOutages"));
    }

    [Fact]
    public async Task An_idempotent_replay_is_counted()
    {
        await using var api = await LambdaRuntimeApiServer.StartAsync();
        await using var app = new ObservedApp(api.RuntimeApiAddress).Start();
        var create = HttpEvents.Create("POST", "/items", """{"name":"replayed"}""", ("content-type", "application/json"), ("idempotency-key", Guid.NewGuid().ToString()));

        var first = (await api.InvokeAsync(create)).EnsureSucceeded();
        var retry = (await api.InvokeAsync(create)).EnsureSucceeded();

        Assert.Equal(201, retry.ResponseJson().GetProperty("statusCode").GetInt32());
        Assert.False((await EmfLineAsync(app, first.RequestId)).TryGetProperty("IdempotentReplays", out _));
        Assert.Equal(1, (await EmfLineAsync(app, retry.RequestId)).GetProperty("IdempotentReplays").GetDouble());
    }

    [Fact]
    public async Task Switched_off_no_line_is_written()
    {
        await using var api = await LambdaRuntimeApiServer.StartAsync();
        await using var app = new ObservedApp(api.RuntimeApiAddress, new Dictionary<string, string?> { [ObservabilityServices.EmfMetricsKey] = "false" }).Start();

        (await api.InvokeAsync(HttpEvents.Get("/health"))).EnsureSucceeded();
        (await api.InvokeAsync(HttpEvents.Get("/health"))).EnsureSucceeded();

        Assert.Empty(app.EmfLines);
    }

    /// <summary>The structure CloudWatch requires: every directive's dimensions and metrics are members of the object.</summary>
    private static void AssertIsEmf(JsonElement line)
    {
        var aws = line.GetProperty("_aws");
        Assert.True(aws.GetProperty("Timestamp").GetInt64() > 1_600_000_000_000);
        foreach (var directive in aws.GetProperty("CloudWatchMetrics").EnumerateArray())
        {
            Assert.Equal(EmfMetrics.Namespace, directive.GetProperty("Namespace").GetString());
            foreach (var dimension in directive.GetProperty("Dimensions").EnumerateArray().SelectMany(set => set.EnumerateArray()))
            {
                Assert.Equal(JsonValueKind.String, line.GetProperty(dimension.GetString()!).ValueKind);
            }

            foreach (var metric in directive.GetProperty("Metrics").EnumerateArray())
            {
                Assert.Contains(metric.GetProperty("Unit").GetString(), new[] { "Milliseconds", "Count" });
                Assert.NotEmpty(MetricValues(line, metric.GetProperty("Name").GetString()!));
            }
        }
    }

    private static List<double> MetricValues(JsonElement line, string name)
    {
        var value = line.GetProperty(name);
        return value.ValueKind == JsonValueKind.Array ? [.. value.EnumerateArray().Select(v => v.GetDouble())] : [value.GetDouble()];
    }

    private static string[] DimensionSetOf(JsonElement line, string metric)
    {
        var directive = line.GetProperty("_aws").GetProperty("CloudWatchMetrics").EnumerateArray()
            .Single(d => d.GetProperty("Metrics").EnumerateArray().Any(m => m.GetProperty("Name").GetString() == metric));
        return [.. Assert.Single(directive.GetProperty("Dimensions").EnumerateArray()).EnumerateArray().Select(d => d.GetString()!)];
    }

    /// <summary>The one line of the invocation (written after its response is posted, so polled for).</summary>
    private static async Task<JsonElement> EmfLineAsync(ObservedApp app, string requestId) => Assert.Single(await Eventually.GetAsync(
        () => app.EmfLines.Select(line => JsonDocument.Parse(line).RootElement).Where(line => line.GetProperty("RequestId").GetString() == requestId).ToList() is { Count: > 0 } lines ? lines : null,
        $"No EMF line for {requestId}."));
}
