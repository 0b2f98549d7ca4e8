namespace CloudNativeApp.Lambda.EndToEnd.Tests;

/// <summary>
/// One function process per test class (xunit creates a class instance per test): the first test starts it, the
/// rest reuse it — which also checks that the loop keeps serving after every kind of invocation before it.
/// </summary>
public sealed class FunctionFixture : IAsyncLifetime
{
    private readonly Lock gate = new();
    private readonly List<IAsyncDisposable> owned = [];
    private Task<PublishedFunction>? function;

    /// <summary>Starts the function with <paramref name="start"/> the first time; later calls get the same one.</summary>
    public Task<PublishedFunction> StartOnceAsync(Func<FunctionFixture, Task<PublishedFunction>> start)
    {
        ArgumentNullException.ThrowIfNull(start);
        lock (gate)
        {
            return function ??= start(this);
        }
    }

    /// <summary>Something the function depends on (a database) that is disposed after it.</summary>
    public void Own(IAsyncDisposable resource)
    {
        lock (gate)
        {
            owned.Add(resource);
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (function is { IsCompletedSuccessfully: true })
        {
            await (await function).DisposeAsync();
        }

        foreach (var resource in owned)
        {
            await resource.DisposeAsync();
        }
    }
}
