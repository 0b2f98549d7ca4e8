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

    /// <summary>Invokes with an empty event and lets the function take it; the outcome waits for the function's answer.</summary>
    public async Task<(Task<InvocationOutcome> Outcome, DeliveredInvocation Delivered)> InvokeAndDeliverAsync()
    {
        var outcome = Api.InvokeAsync("{}");
        return (outcome, await Function.NextAsync());
    }

    public async ValueTask DisposeAsync()
    {
        Caller.Dispose();
        Function.Dispose();
        await Api.DisposeAsync();
    }
}
