using System.Net.Http.Headers;

namespace CloudNativeApp.LambdaHosting.Tests.RuntimeApi;

/// <summary>The caller's side for people and curl: <c>POST /2015-03-31/functions/function/invocations</c>.</summary>
public sealed class InvokeApiTests : IAsyncLifetime
{
    private RuntimeApiHarness harness = null!;

    private LambdaRuntimeApiServer Api => harness.Api;

    private SimulatedFunction Function => harness.Function;

    private HttpClient Caller => harness.Caller;

    public async Task InitializeAsync() => harness = await RuntimeApiHarness.StartAsync();

    public async Task DisposeAsync() => await harness.DisposeAsync();

    [Fact]
    public void The_invoke_endpoint_is_the_one_the_Runtime_Interface_Emulator_uses() =>
        Assert.Equal($"http://{Api.RuntimeApiAddress}/2015-03-31/functions/function/invocations", Api.InvokeEndpoint.ToString());

    [Fact]
    public async Task The_event_is_passed_to_the_function_and_its_response_returned()
    {
        var invoke = Caller.PostAsync(Api.InvokeEndpoint, new StringContent("""{"Number1":10,"Number2":20}""", Encoding.UTF8, "application/json"));
        var delivered = await Function.NextAsync();
        using var _ = await Function.PostResponseAsync(delivered.RequestId, """{"Sum":30}""");

        using var response = await invoke;

        Assert.Equal("""{"Number1":10,"Number2":20}""", delivered.BodyText);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("""{"Sum":30}""", await response.Content.ReadAsStringAsync());
        Assert.False(response.Headers.Contains(RuntimeApiHeaders.FunctionError));
        Assert.Equal(delivered.RequestId, response.Headers.GetValues(RuntimeApiHeaders.AmznRequestId).Single());
    }

    [Fact]
    public async Task A_function_error_is_returned_as_200_with_the_error_payload_and_X_Amz_Function_Error()
    {
        var invoke = Caller.PostAsync(Api.InvokeEndpoint, new StringContent("""{"Number1":1}"""));
        var delivered = await Function.NextAsync();
        const string ErrorDocument = """{"errorMessage":"Number2 is required.","errorType":"ValidationException","stackTrace":[]}""";
        using var _ = await Function.PostErrorAsync(delivered.RequestId, "ValidationException", ErrorDocument);

        using var response = await invoke;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Unhandled", response.Headers.GetValues(RuntimeApiHeaders.FunctionError).Single());
        Assert.Equal(ErrorDocument, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_empty_body_invokes_the_function_with_an_empty_object()
    {
        var invoke = Caller.PostAsync(Api.InvokeEndpoint, null);
        var delivered = await Function.NextAsync();
        using var _ = await Function.PostResponseAsync(delivered.RequestId, "null");

        using var response = await invoke;

        Assert.Equal("{}", delivered.BodyText);
        Assert.Equal("null", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_base64_client_context_reaches_the_function_decoded()
    {
        const string ClientContext = """{"custom":{"tenant":"acme"}}""";
        using var request = InvokeRequest("{}", RuntimeApiHeaders.InvokeClientContext, Convert.ToBase64String(Encoding.UTF8.GetBytes(ClientContext)));
        var invoke = Caller.SendAsync(request);
        var delivered = await Function.NextAsync();
        using var _ = await Function.PostResponseAsync(delivered.RequestId, "{}");

        using var response = await invoke;

        Assert.Equal(ClientContext, delivered.Header(RuntimeApiHeaders.ClientContext));
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("bm90IGpzb24=")] // "not json"
    public async Task A_client_context_that_is_not_base64_JSON_is_400(string header)
    {
        using var request = InvokeRequest("{}", RuntimeApiHeaders.InvokeClientContext, header);

        using var response = await Caller.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("InvalidRequestContentException", response.Headers.GetValues(RuntimeApiHeaders.AmznErrorType).Single());
        Assert.Equal(0, Api.PendingInvocations);
    }

    [Fact]
    public async Task An_Event_invocation_is_queued_and_answered_202_without_waiting()
    {
        using var request = InvokeRequest("""{"async":true}""", RuntimeApiHeaders.InvocationType, "Event");

        using var response = await Caller.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var delivered = await Function.NextAsync();
        Assert.Equal("""{"async":true}""", delivered.BodyText);
        Assert.Equal(delivered.RequestId, response.Headers.GetValues(RuntimeApiHeaders.AmznRequestId).Single());
    }

    [Fact]
    public async Task A_DryRun_invocation_is_204_and_queues_nothing()
    {
        using var request = InvokeRequest("{}", RuntimeApiHeaders.InvocationType, "DryRun");

        using var response = await Caller.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(0, Api.PendingInvocations);
    }

    [Fact]
    public async Task An_unknown_invocation_type_is_400()
    {
        using var request = InvokeRequest("{}", RuntimeApiHeaders.InvocationType, "Sometimes");

        using var response = await Caller.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains("Sometimes", document.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_caller_that_hangs_up_withdraws_its_queued_invocation()
    {
        using var hangUp = new CancellationTokenSource();
        var invoke = Caller.PostAsync(Api.InvokeEndpoint, new StringContent("""{"abandoned":true}"""), hangUp.Token);
        await WaitUntilAsync(() => Api.PendingInvocations == 1);

        await hangUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => invoke);

        // The server learns of the hang-up when the connection closes, a moment later.
        await WaitUntilAsync(() => Api.PendingInvocations == 0);

        var next = Caller.PostAsync(Api.InvokeEndpoint, new StringContent("""{"second":true}"""));
        var delivered = await Function.NextAsync();
        using var _ = await Function.PostResponseAsync(delivered.RequestId, "{}");
        using var response = await next;
        Assert.Equal("""{"second":true}""", delivered.BodyText);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var patience = new CancellationTokenSource(SimulatedFunction.Patience);
        while (!condition())
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), patience.Token);
        }
    }

    [Fact]
    public async Task An_event_over_six_megabytes_is_413_RequestTooLargeException()
    {
        var content = new ByteArrayContent(new byte[(6 * 1024 * 1024) + 1]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var response = await Caller.PostAsync(Api.InvokeEndpoint, content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("RequestTooLargeException", response.Headers.GetValues(RuntimeApiHeaders.AmznErrorType).Single());
        Assert.Equal(0, Api.PendingInvocations);
    }

    // An Invoke API request with one of the invocation headers (the invalid ones unchecked, as curl sends them).
    private HttpRequestMessage InvokeRequest(string payload, string header, string value)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Api.InvokeEndpoint) { Content = new StringContent(payload) };
        request.Headers.TryAddWithoutValidation(header, value);
        return request;
    }
}
