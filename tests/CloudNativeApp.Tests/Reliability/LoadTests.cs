using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Xunit.Abstractions;

namespace CloudNativeApp.Tests.Reliability;

/// <summary>
/// Short versions of the load test (tests/CloudNativeApp.LoadTest runs the long ones): the real app on Kestrel over
/// dynalite on disk, 16 concurrent clients, and every acknowledged write read back afterwards.
/// </summary>
[Collection(ReliabilityTests.Name)]
public sealed class LoadTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Sixteen_clients_for_ten_seconds_lose_no_acknowledged_write_and_get_no_errors()
    {
        var report = await RunAsync(new LoadTestOptions { Duration = TimeSpan.FromSeconds(10), Clients = 16 });

        Assert.True(report.Passed, report.ToString());
        Assert.Empty(report.Verification.LostWrites);
        Assert.Empty(report.Errors);
        Assert.DoesNotContain(report.Requests, request => request.Status >= 500 || request.Status == RequestRecord.NoResponse);
        Assert.True(report.Verification.AcknowledgedWrites > 100, $"Too little load to prove anything:\n{report}");
    }

    [Fact]
    public async Task Killing_dynalite_mid_run_costs_fast_503s_then_recovers_without_a_restart_and_loses_nothing()
    {
        var report = await RunAsync(new LoadTestOptions
        {
            Duration = TimeSpan.FromSeconds(15),
            Clients = 16,
            InjectFault = true,
            FaultAt = TimeSpan.FromSeconds(4),
            Outage = TimeSpan.FromSeconds(3),
        });

        Assert.True(report.Passed, report.ToString());
        Assert.Empty(report.Verification.LostWrites);

        // The only 5xx is the 503 of the outage, and it comes fast.
        Assert.NotEmpty(report.Outage503s);
        Assert.All(report.Requests.Where(request => request.Status >= 500), request => Assert.Equal(503, request.Status));
        Assert.DoesNotContain(report.Requests, request => request.Status == RequestRecord.NoResponse);
        Assert.True(LoadTestReport.Percentile(report.Outage503s, 0.99) <= TimeSpan.FromSeconds(5), report.ToString());

        // Afterwards the error rate is back to zero: the app was never restarted.
        Assert.True(report.SuccessesAfterRecovery > 0, report.ToString());
        Assert.DoesNotContain(report.Requests, request => !request.Succeeded && !request.IsExpectedStale && request.Start > report.Fault!.RestoredAt + report.RecoveryTime!.Value);
    }

    /// <summary>The harness's negative control: writes lost behind the app's back must show up as lost writes, by id.</summary>
    [Fact]
    public async Task The_verification_reports_writes_lost_behind_the_apps_back()
    {
        var sabotaged = new List<string>();
        var report = await LoadTestRunner.RunAsync(
            new LoadTestOptions { Duration = TimeSpan.FromSeconds(3), Clients = 4 },
            new TestOutputWriter(output),
            async (app, items) =>
            {
                var client = app.Services.GetRequiredService<IAmazonDynamoDB>();
                var table = app.Services.GetRequiredService<IOptions<ItemStoreOptions>>().Value.TableName;
                var live = items.Where(item => item.IsLive && item.UnknownSinceLastAck.Count == 0).Take(2).ToList();
                Assert.Equal(2, live.Count);

                // One acknowledged item disappears, another silently loses its last acknowledged content.
                await client.DeleteItemAsync(table, Key(live[0].Id));
                await client.UpdateItemAsync(new UpdateItemRequest
                {
                    TableName = table,
                    Key = Key(live[1].Id),
                    UpdateExpression = "SET #name = :stale",
                    ExpressionAttributeNames = new Dictionary<string, string> { ["#name"] = "name" },
                    ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":stale"] = new("an older name") },
                });
                sabotaged.AddRange(live.Select(item => item.Id));
            },
            CancellationToken.None);
        output.WriteLine(report.ToString());

        Assert.False(report.Passed);
        Assert.Equal(2, report.Verification.LostWrites.Count);
        Assert.All(sabotaged, id => Assert.Contains(report.Verification.LostWrites, lost => lost.Contains(id, StringComparison.Ordinal)));
    }

    private async Task<LoadTestReport> RunAsync(LoadTestOptions options)
    {
        var report = await LoadTestRunner.RunAsync(options, new TestOutputWriter(output));
        output.WriteLine(report.ToString());
        return report;
    }

    private static Dictionary<string, AttributeValue> Key(string id) => new() { [ItemTable.HashKeyAttribute] = new AttributeValue(id) };

    /// <summary>The harness's progress lines in the test's output.</summary>
    private sealed class TestOutputWriter(ITestOutputHelper output) : StringWriter(System.Globalization.CultureInfo.InvariantCulture)
    {
        public override void WriteLine(string? value) => output.WriteLine(value ?? "");
    }
}
