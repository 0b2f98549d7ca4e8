namespace CloudNativeApp.Lambda.EndToEnd.Tests;

/// <summary>The published app running as a Lambda function against its own local Runtime API.</summary>
public sealed class PublishedFunction : IAsyncDisposable
{
    /// <summary>Generous: a cold start on a busy 2-core CI machine can take seconds.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private PublishedFunction(LambdaRuntimeApiServer api, LambdaFunctionProcess process)
    {
        Api = api;
        Process = process;
    }

    public LambdaRuntimeApiServer Api { get; }

    public LambdaFunctionProcess Process { get; }

    public static async Task<PublishedFunction> StartAsync(string executable, IReadOnlyDictionary<string, string?> environment, LambdaRuntimeApiOptions? options = null)
    {
        var api = await LambdaRuntimeApiServer.StartAsync(options ?? new LambdaRuntimeApiOptions { FunctionName = "CloudNativeApp" });
        return new PublishedFunction(api, LambdaFunctionProcess.Start(api, executable, environment));
    }

    /// <summary>Invokes the function; fails with the function's output if it exits or does not answer in time.</summary>
    public Task<InvocationOutcome> InvokeAsync(string eventJson) => InvokeAsync(new InvocationRequest(eventJson));

    public Task<InvocationOutcome> InvokeAsync(byte[] eventJson) => InvokeAsync(new InvocationRequest(eventJson));

    public async Task<InvocationOutcome> InvokeAsync(InvocationRequest request)
    {
        using var patience = new CancellationTokenSource(Patience);
        var invocation = Api.InvokeAsync(request, patience.Token);
        var finished = await Task.WhenAny(invocation, Process.Exited);
        if (finished != invocation)
        {
            throw new InvalidOperationException($"The function exited with code {await Process.Exited} during the invocation. Output:\n{Process.Output}");
        }

        try
        {
            return await invocation;
        }
        catch (OperationCanceledException exception)
        {
            throw new TimeoutException($"No outcome within {Patience}. Function output:\n{Process.Output}", exception);
        }
    }

    /// <summary>Sends an HTTP event and reads the function's response as that event source's response JSON.</summary>
    public async Task<LambdaHttpResponse> SendAsync(HttpEvent httpEvent)
    {
        ArgumentNullException.ThrowIfNull(httpEvent);
        var outcome = await InvokeAsync(httpEvent.ToJson());
        Assert.True(outcome.Succeeded, $"{httpEvent}: {outcome}\nFunction output:\n{Process.Output}");
        return LambdaHttpResponse.Parse(outcome.ResponseJson(), httpEvent.Source);
    }

    public async ValueTask DisposeAsync()
    {
        await Process.DisposeAsync();
        await Api.DisposeAsync();
    }
}

/// <summary>Starts the published app against a new local Runtime API, with Lambda's environment plus the one given.</summary>
internal static class PublishedAppFunctions
{
    public static Task<PublishedFunction> StartFunctionAsync(this PublishedApp app, IReadOnlyDictionary<string, string?> environment, LambdaRuntimeApiOptions? options = null) =>
        PublishedFunction.StartAsync(app.Bootstrap, environment, options);
}
