namespace CloudNativeApp.Lambda.EndToEnd.Tests;

/// <summary>Configuration the tests give the published app on top of Lambda's own environment.</summary>
internal static class AppEnvironment
{
    /// <summary>
    /// Production (no ASPNETCORE_ENVIRONMENT, as deployed), with configuration files polled rather than watched: the
    /// whole test run shares the machine's 128 inotify instances, and every function process would take some.
    /// </summary>
    public static Dictionary<string, string?> Production() => new(StringComparer.Ordinal)
    {
        ["DOTNET_USE_POLLING_FILE_WATCHER"] = "true",
    };

    /// <summary>Production with the in-memory item store.</summary>
    public static Dictionary<string, string?> InMemory()
    {
        var environment = Production();
        environment["Items__Store"] = "InMemory";
        return environment;
    }

    /// <summary>Production with the DynamoDB store on <paramref name="dynalite"/>, in a new table the app creates at startup.</summary>
    public static Dictionary<string, string?> DynamoDb(DynaliteServer dynalite, string? tableName = null) => new(StringComparer.Ordinal)
    {
        ["Items__Store"] = "DynamoDB",
        ["Items__TableName"] = tableName ?? $"e2e-items-{Guid.NewGuid():N}",
        ["Items__CreateTable"] = "true",
        ["AWS__ServiceURL"] = dynalite.ServiceUrl,
        ["AWS__Region"] = "us-east-1",
    };
}
