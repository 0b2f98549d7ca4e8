namespace CloudNativeApp.LambdaHosting.Tests.Runtime;

public sealed class LambdaRuntimeClientTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private LambdaRuntimeApiServer _api = null!;
    private LambdaRuntimeClient _client = null!;

    public async Task InitializeAsync()
    {
        _api = await LambdaRuntimeApiServer.StartAsync(new LambdaRuntimeApiOptions { MaxPayloadBytes = 64 * 1024 });
        _client = new LambdaRuntimeClient(_api.RuntimeApiAddress);
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task Next_invocation_carries_the_event_and_every_runtime_header()
    {
        var before = DateTimeOffset.UtcNow;
        var outcome = _api.InvokeAsync(new InvocationRequest("""{"hello":"wörld"}""")
        {
            RequestId = "8476a536-e9f4-11e8-9739-2dfe598c3fcd",
            Timeout = TimeSpan.FromSeconds(20),
            TraceId = "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1",
            InvokedFunctionArn = "arn:aws:lambda:us-east-1:123456789012:function:function:live",
            ClientContext = """{"custom":{"a":1}}""",
            CognitoIdentity = """{"cognitoIdentityId":"us-east-1:123"}""",
        });

        using var timeout = new CancellationTokenSource(Patience);
        using var invocation = await _client.GetNextInvocationAsync(timeout.Token);
        var context = invocation.Context;

        Assert.Equal("""{"hello":"wörld"}""", Encoding.UTF8.GetString(invocation.Event.Span));
        Assert.Equal("8476a536-e9f4-11e8-9739-2dfe598c3fcd", context.AwsRequestId);
        Assert.Equal("arn:aws:lambda:us-east-1:123456789012:function:function:live", context.InvokedFunctionArn);
        Assert.Equal("Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1", context.TraceId);
        Assert.Equal("""{"custom":{"a":1}}""", context.ClientContext);
        Assert.Equal("""{"cognitoIdentityId":"us-east-1:123"}""", context.CognitoIdentity);
        Assert.InRange(context.Deadline, before.AddSeconds(19), DateTimeOffset.UtcNow.AddSeconds(21));

        await _client.PostResponseAsync(context.AwsRequestId, """{"ok":true}"""u8.ToArray(), timeout.Token);
        Assert.Equal("""{"ok":true}""", (await outcome.WaitAsync(Patience)).EnsureSucceeded().ResponseText);
    }

    [Fact]
    public async Task Large_event_is_read_completely()
    {
        var payload = "{\"data\":\"" + new string('x', 60_000) + "\"}";
        var outcome = _api.InvokeAsync(payload);

        using var timeout = new CancellationTokenSource(Patience);
        using var invocation = await _client.GetNextInvocationAsync(timeout.Token);
        await _client.PostResponseAsync(invocation.Context.AwsRequestId, invocation.Event, timeout.Token);

        Assert.Equal(payload, (await outcome.WaitAsync(Patience)).EnsureSucceeded().ResponseText);
    }

    [Fact]
    public async Task Function_error_is_posted_as_a_Lambda_error_document()
    {
        var error = await PostErrorForNextInvocationAsync(new LambdaFunctionException("Orders.NotFound", "Order 42 does not exist."));

        Assert.Equal("Orders.NotFound", error.ErrorTypeHeader);
        Assert.Equal("Orders.NotFound", error.ErrorType);
        Assert.Equal("Order 42 does not exist.", error.ErrorMessage);
        Assert.Equal(LambdaRuntimeClient.ErrorContentType, error.ContentType);
    }

    [Fact]
    public async Task An_error_type_that_would_break_the_header_is_made_safe_in_header_and_document_alike()
    {
        var error = await PostErrorForNextInvocationAsync(new LambdaFunctionException("Orders.Bad\r\nX-Injected: ü", "Broken."));

        Assert.Equal("Orders.Bad__X-Injected:__", error.ErrorTypeHeader);
        Assert.Equal("Orders.Bad__X-Injected:__", error.ErrorType);
    }

    [Fact]
    public async Task Oversized_response_is_refused_with_413()
    {
        var outcome = _api.InvokeAsync("{}");

        using var timeout = new CancellationTokenSource(Patience);
        using var invocation = await _client.GetNextInvocationAsync(timeout.Token);
        var refusal = await Assert.ThrowsAsync<LambdaRuntimeException>(() =>
            _client.PostResponseAsync(invocation.Context.AwsRequestId, new byte[100 * 1024], timeout.Token));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refusal.StatusCode);
        Assert.Equal(InvocationStatus.ResponseTooLarge, (await outcome.WaitAsync(Patience)).Status);
    }

    [Fact]
    public async Task Answering_an_unknown_invocation_is_an_error_with_the_status()
    {
        using var timeout = new CancellationTokenSource(Patience);

        var refusal = await Assert.ThrowsAsync<LambdaRuntimeException>(() => _client.PostResponseAsync("no-such-request", "{}"u8.ToArray(), timeout.Token));

        Assert.True(refusal.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Forbidden or HttpStatusCode.NotFound, refusal.Message);
    }

    [Fact]
    public async Task Long_poll_waits_without_a_timeout_and_stops_when_cancelled()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _client.GetNextInvocationAsync(cancel.Token));
    }

    /// <summary>Invokes, takes the invocation and posts <paramref name="exception"/> for it: what the Runtime API received.</summary>
    private async Task<FunctionError> PostErrorForNextInvocationAsync(Exception exception)
    {
        var outcome = _api.InvokeAsync("{}");
        using var timeout = new CancellationTokenSource(Patience);
        using var invocation = await _client.GetNextInvocationAsync(timeout.Token);
        await _client.PostErrorAsync(invocation.Context.AwsRequestId, exception, timeout.Token);
        return (await outcome.WaitAsync(Patience)).Error!;
    }
}
