namespace CloudNativeApp.LambdaHosting.Tests.RuntimeApi;

/// <summary>A started Runtime API with a simulated function and an Invoke API caller, torn down together.</summary>
internal sealed class RuntimeApiHarness : IAsyncDisposable
{
    private RuntimeApiHarness(LambdaRuntimeApiServer api)
    {
        Api = api;
        Function = new SimulatedFunction(api);
        Caller = new HttpClient { Timeout = SimulatedFunction.Patience };
    }

    public LambdaRuntimeApiServer Api { get; }

    public SimulatedFunction Function { get; }

    public HttpClient Caller { get; }

    public static async Task<RuntimeApiHarness> StartAsync(LambdaRuntimeApiOptions? options = null) =>
        new(await LambdaRuntimeApiServer.StartAsync(options));

    public async ValueTask DisposeAsync()
    {
        Caller.Dispose();
        Function.Dispose();
        await Api.DisposeAsync();
    }
}
