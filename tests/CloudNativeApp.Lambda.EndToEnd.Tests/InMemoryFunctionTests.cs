namespace CloudNativeApp.Lambda.EndToEnd.Tests;

/// <summary>
/// Tests of one published function with in-memory storage, started by the first test of the class and shared by the
/// rest (see <see cref="FunctionFixture"/>).
/// </summary>
public abstract class InMemoryFunctionTests(PublishedApp app, FunctionFixture fixture) : IClassFixture<FunctionFixture>, IAsyncLifetime
{
    /// <summary>Every HTTP event source: API Gateway REST and HTTP APIs, Function URL, ALB.</summary>
    public static TheoryData<HttpEventSource> AllSources => new(Enum.GetValues<HttpEventSource>());

    protected PublishedFunction Function { get; private set; } = null!;

    public async Task InitializeAsync() => Function = await fixture.StartOnceAsync(_ => app.StartFunctionAsync(AppEnvironment.InMemory()));

    public Task DisposeAsync() => Task.CompletedTask;
}
