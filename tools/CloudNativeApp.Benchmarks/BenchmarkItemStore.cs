namespace CloudNativeApp.Benchmarks;

/// <summary>The app on a DynamoDB table (dynalite) holding one item, for the modes that measure item reads.</summary>
internal static class BenchmarkItemStore
{
    /// <summary>The app on the DynamoDB store at <paramref name="serviceUrl"/>, in a new table it creates at startup.</summary>
    internal static Dictionary<string, string?> DynamoDbEnvironment(string serviceUrl) => new()
    {
        ["Items__Store"] = "DynamoDB",
        ["Items__TableName"] = $"bench-{Guid.NewGuid():N}",
        ["Items__CreateTable"] = "true",
        ["Items__TimeoutSeconds"] = "20",
        ["AWS__ServiceURL"] = serviceUrl,
        ["AWS__Region"] = "us-east-1",
        ["RateLimiting__Enabled"] = "false",

        // The benchmark's events carry no authorizer claims; reads are anonymous anyway, the one write is not.
        ["Auth__Mode"] = "None",
    };

    /// <summary>Creates an item through <paramref name="app"/> (which creates the table when configured to) and returns an event that reads it.</summary>
    internal static async Task<byte[]> CreateItemAsync(string app, IReadOnlyDictionary<string, string?> environment)
    {
        await using var api = await LambdaRuntimeApiServer.StartAsync(new LambdaRuntimeApiOptions { FunctionName = "CloudNativeApp" });
        await using var process = LambdaFunctionProcess.Start(api, app, environment);
        var created = await api.InvokeAsync(BenchmarkEvents.PostJson(LambdaEventSource.HttpApi, "/items", """{"name":"benchmark","category":"bench"}"""), TimeSpan.FromSeconds(60));
        return BenchmarkEvents.ReadOfCreatedItem(created);
    }
}
