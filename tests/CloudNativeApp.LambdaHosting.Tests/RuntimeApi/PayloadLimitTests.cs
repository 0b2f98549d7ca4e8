namespace CloudNativeApp.LambdaHosting.Tests.RuntimeApi;

/// <summary>Lambda's 6 MB payload limit, scaled down through the options so the tests move kilobytes, not megabytes.</summary>
public sealed class PayloadLimitTests : IAsyncLifetime
{
    private const int Limit = 4096;

    private RuntimeApiHarness harness = null!;

    private LambdaRuntimeApiServer Api => harness.Api;

    private SimulatedFunction Function => harness.Function;

    public async Task InitializeAsync() => harness = await RuntimeApiHarness.StartAsync(new LambdaRuntimeApiOptions { MaxPayloadBytes = Limit });

    public async Task DisposeAsync() => await harness.DisposeAsync();

    [Fact]
    public void The_default_limit_is_Lambdas_six_megabytes_plus_its_slack() =>
        Assert.Equal(6_291_556, new LambdaRuntimeApiOptions().MaxPayloadBytes);

    [Fact]
    public async Task A_response_over_the_limit_is_413_and_the_invocation_fails_with_ResponseSizeTooLarge()
    {
        var (invocation, delivered) = await harness.InvokeAndDeliverAsync();

        using var posted = await Function.PostResponseAsync(delivered.RequestId, new byte[Limit + 1], "application/octet-stream");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, posted.StatusCode);
        await RuntimeApiServerTests.AssertRuntimeApiErrorAsync(posted, "RequestEntityTooLarge", $"Exceeded maximum allowed payload size ({Limit} bytes).");
        var outcome = await invocation.WaitAsync(SimulatedFunction.Patience);
        Assert.Equal(InvocationStatus.ResponseTooLarge, outcome.Status);
        Assert.Equal("Function.ResponseSizeTooLarge", outcome.Error!.ErrorType);
    }

    [Fact]
    public async Task A_response_of_exactly_the_limit_is_accepted()
    {
        var (invocation, delivered) = await harness.InvokeAndDeliverAsync();
        var body = new byte[Limit];
        Random.Shared.NextBytes(body);

        using var posted = await Function.PostResponseAsync(delivered.RequestId, body, "application/octet-stream");

        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        Assert.Equal(body, (await invocation.WaitAsync(SimulatedFunction.Patience)).Response.ToArray());
    }

    [Fact]
    public async Task An_event_over_the_limit_is_refused_before_it_is_queued()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Api.InvokeAsync(new byte[Limit + 1]));

        Assert.Equal(0, Api.PendingInvocations);
    }
}
