namespace CloudNativeApp.Lambda.EndToEnd.Tests;

/// <summary>
/// dynalite behind a <see cref="DelayingTcpProxy"/> (a DynamoDB that answers late, or whose connections a test
/// watches), with the one item table a test's functions share.
/// </summary>
internal sealed class ProxiedDynamoDb(DynaliteServer dynalite, DelayingTcpProxy proxy, string tableName) : IAsyncDisposable
{
    public DynaliteServer Dynalite { get; } = dynalite;

    public DelayingTcpProxy Proxy { get; } = proxy;

    public string TableName { get; } = tableName;

    /// <param name="latency">How late each answer arrives.</param>
    /// <param name="tablePrefix">Starts the table's name, to tell the tests' tables apart.</param>
    public static async Task<ProxiedDynamoDb> StartAsync(TimeSpan latency, string tablePrefix)
    {
        var dynalite = await DynaliteServer.StartNewAsync();
        return new ProxiedDynamoDb(dynalite, DelayingTcpProxy.InFrontOf(dynalite, latency), $"{tablePrefix}-{Guid.NewGuid():N}");
    }

    /// <summary>The DynamoDB store on the shared table, through the proxy; the app creates the table only when <paramref name="createTable"/>.</summary>
    public Dictionary<string, string?> Environment(bool createTable)
    {
        var environment = AppEnvironment.DynamoDb(Dynalite, TableName);
        environment["AWS__ServiceURL"] = Proxy.ServiceUrl;
        environment["Items__CreateTable"] = createTable ? "true" : "false";
        return environment;
    }

    public async ValueTask DisposeAsync()
    {
        await Proxy.DisposeAsync();
        await Dynalite.DisposeAsync();
    }
}
