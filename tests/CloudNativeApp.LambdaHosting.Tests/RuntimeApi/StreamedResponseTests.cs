namespace CloudNativeApp.LambdaHosting.Tests.RuntimeApi;

/// <summary>The test Runtime API's side of response streaming, driven over a raw socket to control the wire format.</summary>
public sealed class StreamedResponseTests : IAsyncLifetime
{
    private RuntimeApiHarness harness = null!;

    private LambdaRuntimeApiServer Api => harness.Api;

    public async Task InitializeAsync() => harness = await RuntimeApiHarness.StartAsync();

    public async Task DisposeAsync() => await harness.DisposeAsync();

    [Fact]
    public async Task Chunks_and_error_trailers_make_a_successful_invocation_with_the_error_recorded()
    {
        var (invocation, delivered) = await harness.InvokeAndDeliverAsync();
        var errorBody = Convert.ToBase64String("""{"errorMessage":"boom","errorType":"Boom"}"""u8);

        var answer = await SendRawAsync(Head(delivered.RequestId) + "3\r\nabc\r\n2\r\nde\r\n0\r\nLambda-Runtime-Function-Error-Type: Boom\r\n"
            + $"Lambda-Runtime-Function-Error-Body: {errorBody}\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 202", answer, StringComparison.Ordinal);
        var outcome = await invocation.WaitAsync(SimulatedFunction.Patience);
        Assert.Equal(InvocationStatus.Succeeded, outcome.Status);
        Assert.Equal("abcde", Encoding.UTF8.GetString(outcome.Streamed!.Body.Span));
        Assert.Equal("Boom", outcome.Streamed.Error!.ErrorTypeHeader);
        Assert.Equal("boom", outcome.Streamed.Error.ErrorMessage);
    }

    [Fact]
    public async Task A_stream_that_ends_without_its_last_chunk_is_a_truncated_response()
    {
        var (invocation, delivered) = await harness.InvokeAndDeliverAsync();

        await SendRawAsync(Head(delivered.RequestId) + "3\r\nabc\r\n", closeAfterSending: true);

        var outcome = await invocation.WaitAsync(SimulatedFunction.Patience);
        Assert.Equal(InvocationStatus.FunctionError, outcome.Status);
        Assert.Equal("Runtime.TruncatedResponse", outcome.Error!.ErrorType);
    }

    [Fact]
    public async Task A_streamed_response_without_chunked_framing_is_refused()
    {
        var (invocation, delivered) = await harness.InvokeAndDeliverAsync();

        var answer = await SendRawAsync(
            $"POST /2018-06-01/runtime/invocation/{delivered.RequestId}/response HTTP/1.1\r\nHost: x\r\nLambda-Runtime-Function-Response-Mode: streaming\r\nContent-Length: 3\r\n\r\nabc");

        Assert.StartsWith("HTTP/1.1 400", answer, StringComparison.Ordinal);
        Assert.False(invocation.IsCompleted);
    }

    [Fact]
    public async Task A_stream_still_open_at_the_deadline_times_out_and_its_relay_ends()
    {
        await using var shortLived = await RuntimeApiHarness.StartAsync(new LambdaRuntimeApiOptions { FunctionTimeout = TimeSpan.FromSeconds(1) });
        var relay = shortLived.Caller.PostAsync(shortLived.Api.InvokeEndpoint, new StringContent("{}"));
        var delivered = await shortLived.Function.NextAsync();
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync("127.0.0.1", shortLived.Api.Port);

        // The function starts its stream and never ends it.
        await socket.SendAsync(Encoding.ASCII.GetBytes(Head(delivered.RequestId) + "5\r\nfirst\r\n"));
        using var response = await relay.WaitAsync(SimulatedFunction.Patience);
        var body = await response.Content.ReadAsStringAsync().WaitAsync(SimulatedFunction.Patience);

        Assert.Equal("first", body);
        var outcome = await shortLived.Api.WaitForOutcomeAsync(delivered.RequestId);
        Assert.Equal(InvocationStatus.TimedOut, outcome.Status);
    }

    private static string Head(string requestId) =>
        $"POST /2018-06-01/runtime/invocation/{requestId}/response HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
        + "Lambda-Runtime-Function-Response-Mode: streaming\r\nTransfer-Encoding: chunked\r\n"
        + "Trailer: Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body\r\n\r\n";

    private async Task<string> SendRawAsync(string request, bool closeAfterSending = false)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync("127.0.0.1", Api.Port);
        await socket.SendAsync(Encoding.ASCII.GetBytes(request));
        if (closeAfterSending)
        {
            return "";
        }

        var buffer = new byte[4096];
        var read = await socket.ReceiveAsync(buffer.AsMemory()).AsTask().WaitAsync(SimulatedFunction.Patience);
        return Encoding.ASCII.GetString(buffer, 0, read);
    }
}
