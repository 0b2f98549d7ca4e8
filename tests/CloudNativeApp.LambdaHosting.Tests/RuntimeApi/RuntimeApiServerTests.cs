using System.Globalization;

namespace CloudNativeApp.LambdaHosting.Tests.RuntimeApi;

/// <summary>The Runtime API side a function sees: <c>/next</c>, <c>/response</c>, <c>/error</c>, <c>/init/error</c>.</summary>
public sealed class RuntimeApiServerTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = SimulatedFunction.Patience;

    private RuntimeApiHarness harness = null!;

    private LambdaRuntimeApiServer Api => harness.Api;

    private SimulatedFunction Function => harness.Function;

    public async Task InitializeAsync() => harness = await RuntimeApiHarness.StartAsync(new LambdaRuntimeApiOptions { FunctionName = "calculator", Region = "eu-west-1" });

    public async Task DisposeAsync() => await harness.DisposeAsync();

    [Fact]
    public void Listens_on_a_free_loopback_port()
    {
        Assert.StartsWith("127.0.0.1:", Api.RuntimeApiAddress, StringComparison.Ordinal);
        Assert.NotEqual(0, Api.Port);
        Assert.Equal($"127.0.0.1:{Api.Port}", Api.RuntimeApiAddress);
    }

    [Fact]
    public async Task Next_waits_until_an_invocation_is_queued()
    {
        var next = Function.StartNextAsync();
        await Api.WaitForFunctionAsync().WaitAsync(Patience);

        await Task.Delay(TimeSpan.FromMilliseconds(300));
        Assert.False(next.IsCompleted, "/next answered although nothing was queued");
        Assert.Equal(1, Api.WaitingForNext);

        var invocation = Api.InvokeAsync("""{"x":1}""");
        using var response = await next.WaitAsync(Patience);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"x":1}""", await response.Content.ReadAsStringAsync());
        Assert.False(invocation.IsCompleted);
    }

    [Fact]
    public async Task Next_delivers_the_event_bytes_and_the_invocation_context_headers()
    {
        var eventJson = """{"body":"caf\u00e9 ☕","n":[1,2,3]}""";
        var request = new InvocationRequest(eventJson)
        {
            RequestId = "8476a536-e9f4-11e8-9739-2dfe598c3fcd",
            TraceId = "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1",
            ClientContext = """{"client":{"app_title":"demo"},"custom":{},"env":{}}""",
            CognitoIdentity = """{"cognitoIdentityId":"us-east-1:1234","cognitoIdentityPoolId":"us-east-1:pool"}""",
            Timeout = TimeSpan.FromSeconds(20),
        };

        _ = Api.InvokeAsync(request);
        var before = DateTimeOffset.UtcNow;
        var delivered = await Function.NextAsync();

        Assert.Equal(Encoding.UTF8.GetBytes(eventJson), delivered.Body);
        Assert.Equal("application/json", delivered.ContentType);
        Assert.Equal(request.RequestId, delivered.RequestId);
        Assert.Equal(request.TraceId, delivered.Header(RuntimeApiHeaders.TraceId));
        Assert.Equal(request.ClientContext, delivered.Header(RuntimeApiHeaders.ClientContext));
        Assert.Equal(request.CognitoIdentity, delivered.Header(RuntimeApiHeaders.CognitoIdentity));
        Assert.Equal("arn:aws:lambda:eu-west-1:123456789012:function:calculator", delivered.Header(RuntimeApiHeaders.InvokedFunctionArn));

        // The deadline is delivery time plus the timeout, in Unix milliseconds.
        var deadline = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(delivered.Header(RuntimeApiHeaders.DeadlineMs), CultureInfo.InvariantCulture));
        Assert.InRange(deadline, before + TimeSpan.FromSeconds(19), DateTimeOffset.UtcNow + TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task Next_makes_up_a_request_id_and_trace_header_and_omits_absent_optional_headers()
    {
        _ = Api.InvokeAsync("{}");
        var delivered = await Function.NextAsync();

        Assert.True(Guid.TryParse(delivered.RequestId, out _), delivered.RequestId);
        Assert.Matches("^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$", delivered.Header(RuntimeApiHeaders.TraceId));
        Assert.Null(delivered.OptionalHeader(RuntimeApiHeaders.ClientContext));
        Assert.Null(delivered.OptionalHeader(RuntimeApiHeaders.CognitoIdentity));
    }

    [Fact]
    public async Task A_posted_response_is_accepted_and_becomes_the_outcome_byte_for_byte()
    {
        var invocation = Api.InvokeAsync("""{"Number1":10,"Number2":20}""");
        var delivered = await Function.NextAsync();
        byte[] responseBytes = [0x7B, 0x22, 0xC3, 0xA9, 0x22, 0x3A, 0x30, 0x7D]; // {"é":0}

        using var posted = await Function.PostResponseAsync(delivered.RequestId, responseBytes, "application/json");

        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        Assert.Equal("""{"status":"OK"}""", await posted.Content.ReadAsStringAsync());
        var outcome = await invocation.WaitAsync(Patience);
        Assert.Equal(InvocationStatus.Succeeded, outcome.Status);
        Assert.True(outcome.Succeeded);
        Assert.Null(outcome.Error);
        Assert.Equal(delivered.RequestId, outcome.RequestId);
        Assert.Equal(responseBytes, outcome.Response.ToArray());
        Assert.Equal(0, outcome.ResponseJson().GetProperty("é").GetInt32());
        Assert.True(outcome.Duration > TimeSpan.Zero);
    }

    [Fact]
    public async Task A_posted_error_becomes_the_outcome_with_its_header_body_and_fields()
    {
        var invocation = Api.InvokeAsync("""{"Number1":10,"Number2":0}""");
        var delivered = await Function.NextAsync();
        const string ErrorDocument = """{"errorMessage":"Number2 must not be 0.","errorType":"ArgumentException","stackTrace":["at Calculator.Divide()","at Handler.Invoke()"]}""";

        using var posted = await Function.PostErrorAsync(delivered.RequestId, "ArgumentException", ErrorDocument);

        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        var outcome = await invocation.WaitAsync(Patience);
        Assert.Equal(InvocationStatus.FunctionError, outcome.Status);
        Assert.False(outcome.Succeeded);
        var error = Assert.IsType<FunctionError>(outcome.Error);
        Assert.Equal("ArgumentException", error.ErrorTypeHeader);
        Assert.Equal("ArgumentException", error.ErrorType);
        Assert.Equal("Number2 must not be 0.", error.ErrorMessage);
        Assert.Equal(["at Calculator.Divide()", "at Handler.Invoke()"], error.StackTrace);
        Assert.Equal(RuntimeApiHeaders.ErrorContentType, error.ContentType?.Split(';')[0]);
        Assert.Equal(ErrorDocument, error.BodyText);
        Assert.True(error.IsWellFormed);
        Assert.Equal(ErrorDocument, Encoding.UTF8.GetString(outcome.Payload.Span));
        Assert.Throws<InvalidOperationException>(() => outcome.ResponseJson());
    }

    [Fact]
    public async Task An_error_body_that_is_not_Lambdas_error_document_is_kept_verbatim()
    {
        var (invocation, delivered) = await harness.InvokeAndDeliverAsync();

        using var posted = await Function.PostErrorAsync(delivered.RequestId, "Runtime.Unknown", "not json");

        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        var error = (await invocation.WaitAsync(Patience)).Error!;
        Assert.Equal("Runtime.Unknown", error.ErrorTypeHeader);
        Assert.Null(error.ErrorType);
        Assert.Null(error.ErrorMessage);
        Assert.Empty(error.StackTrace);
        Assert.False(error.IsWellFormed);
        Assert.Equal("not json", error.BodyText);
    }

    [Theory]
    [InlineData("response")]
    [InlineData("error")]
    public async Task A_post_for_a_request_id_never_handed_out_is_400_InvalidRequestID(string kind)
    {
        _ = Api.InvokeAsync("{}");
        await Function.NextAsync();

        using var posted = kind == "response"
            ? await Function.PostResponseAsync("d1a5b3e0-0000-0000-0000-000000000000", "{}")
            : await Function.PostErrorAsync("d1a5b3e0-0000-0000-0000-000000000000", "Oops", """{"errorMessage":"x","errorType":"Oops"}""");

        Assert.Equal(HttpStatusCode.BadRequest, posted.StatusCode);
        await AssertRuntimeApiErrorAsync(posted, "InvalidRequestID", "Invalid request ID");
        Assert.Equal(1, Api.InFlightInvocations);
    }

    [Fact]
    public async Task A_post_for_a_queued_invocation_the_function_has_not_taken_is_400()
    {
        var requestId = Api.Enqueue(new InvocationRequest("{}"));

        using var posted = await Function.PostResponseAsync(requestId, "{}");

        Assert.Equal(HttpStatusCode.BadRequest, posted.StatusCode);
        await AssertRuntimeApiErrorAsync(posted, "InvalidRequestID", "Invalid request ID");
        Assert.Equal(1, Api.PendingInvocations);
    }

    [Theory]
    [InlineData("response", "response")]
    [InlineData("response", "error")]
    [InlineData("error", "response")]
    [InlineData("error", "error")]
    public async Task A_second_post_for_the_same_invocation_is_403_and_does_not_change_the_outcome(string first, string second)
    {
        var (invocation, delivered) = await harness.InvokeAndDeliverAsync();
        using var accepted = await PostAsync(first, delivered.RequestId);
        var outcome = await invocation.WaitAsync(Patience);

        using var rejected = await PostAsync(second, delivered.RequestId);

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, rejected.StatusCode);
        await AssertRuntimeApiErrorAsync(rejected, "InvalidStateTransition", null);
        Assert.Equal(first == "response" ? InvocationStatus.Succeeded : InvocationStatus.FunctionError, outcome.Status);
        Assert.Equal(1, Api.InvocationsCompleted);
    }

    [Fact]
    public async Task An_invocation_not_answered_by_its_deadline_times_out_and_a_late_response_is_403()
    {
        var invocation = Api.InvokeAsync("{}", TimeSpan.FromSeconds(1));
        var delivered = await Function.NextAsync();

        var outcome = await invocation.WaitAsync(Patience);

        Assert.Equal(InvocationStatus.TimedOut, outcome.Status);
        Assert.Equal("Sandbox.Timedout", outcome.Error!.ErrorType);
        Assert.Equal($"RequestId: {delivered.RequestId} Error: Task timed out after 1.00 seconds", outcome.Error.ErrorMessage);
        Assert.True(outcome.Duration >= TimeSpan.FromSeconds(0.9), outcome.Duration.ToString());
        using var late = await Function.PostResponseAsync(delivered.RequestId, "{}");
        Assert.Equal(HttpStatusCode.Forbidden, late.StatusCode);
        Assert.Equal(0, Api.InFlightInvocations);
    }

    [Fact]
    public async Task The_deadline_counts_from_when_the_function_takes_the_invocation_not_from_when_it_was_queued()
    {
        // Like Lambda, time spent starting the function (init) does not count against the invocation.
        var queuedAt = DateTimeOffset.UtcNow;
        var invocation = Api.InvokeAsync("{}", TimeSpan.FromSeconds(2));
        await Task.Delay(TimeSpan.FromSeconds(1));

        var delivered = await Function.NextAsync();

        var deadline = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(delivered.Header(RuntimeApiHeaders.DeadlineMs), CultureInfo.InvariantCulture));
        Assert.True(deadline >= queuedAt + TimeSpan.FromSeconds(2.9), $"deadline {deadline:O} is not 2 s after delivery (queued {queuedAt:O})");
        Assert.False(invocation.IsCompleted);
    }

    [Fact]
    public async Task An_init_error_is_accepted_recorded_and_fails_the_invocations_waiting_for_the_function()
    {
        var waiting = Api.InvokeAsync("{}");
        const string ErrorDocument = """{"errorMessage":"Items:TableName is required in Production.","errorType":"OptionsValidationException","stackTrace":[]}""";

        using var posted = await Function.PostInitErrorAsync("Runtime.InitError", ErrorDocument);

        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        var initError = await Api.InitErrorAsync().WaitAsync(Patience);
        Assert.Equal("Runtime.InitError", initError.ErrorTypeHeader);
        Assert.Equal("OptionsValidationException", initError.ErrorType);
        Assert.Equal("Items:TableName is required in Production.", initError.ErrorMessage);
        Assert.Equal(ErrorDocument, initError.BodyText);
        Assert.Single(Api.InitErrors);

        var outcome = await waiting.WaitAsync(Patience);
        Assert.Equal(InvocationStatus.InitFailed, outcome.Status);
        Assert.Same(initError, outcome.Error);
        Assert.Equal(0, Api.PendingInvocations);
    }

    [Fact]
    public async Task An_init_error_from_a_function_that_already_took_an_invocation_is_403()
    {
        _ = Api.InvokeAsync("{}");
        await Function.NextAsync();

        using var posted = await Function.PostInitErrorAsync("Runtime.InitError", """{"errorMessage":"late","errorType":"X"}""");

        Assert.Equal(HttpStatusCode.Forbidden, posted.StatusCode);
        await AssertRuntimeApiErrorAsync(posted, "InvalidStateTransition", null);
        Assert.Empty(Api.InitErrors);
        Assert.False(Api.InitErrorAsync().IsCompleted);
    }

    [Fact]
    public async Task Invocations_are_delivered_in_the_order_they_were_queued()
    {
        var outcomes = Enumerable.Range(1, 5).Select(i => Api.InvokeAsync($$"""{"n":{{i}}}""")).ToArray();

        for (var i = 1; i <= 5; i++)
        {
            var delivered = await Function.NextAsync();
            Assert.Equal($$"""{"n":{{i}}}""", delivered.BodyText);
            using var posted = await Function.PostResponseAsync(delivered.RequestId, $"{i * 10}");
        }

        var results = await Task.WhenAll(outcomes).WaitAsync(Patience);
        Assert.Equal(["10", "20", "30", "40", "50"], results.Select(outcome => outcome.ResponseText));
    }

    [Fact]
    public async Task Counters_follow_an_invocation_from_queue_to_completion()
    {
        Assert.Equal((0, 0, 0L, 0L), (Api.PendingInvocations, Api.InFlightInvocations, Api.InvocationsServed, Api.InvocationsCompleted));

        var invocation = Api.InvokeAsync("{}");
        Assert.Equal((1, 0, 0L, 0L), (Api.PendingInvocations, Api.InFlightInvocations, Api.InvocationsServed, Api.InvocationsCompleted));

        var delivered = await Function.NextAsync();
        Assert.Equal((0, 1, 1L, 0L), (Api.PendingInvocations, Api.InFlightInvocations, Api.InvocationsServed, Api.InvocationsCompleted));

        using var posted = await Function.PostResponseAsync(delivered.RequestId, "{}");
        await invocation.WaitAsync(Patience);
        Assert.Equal((0, 0, 1L, 1L), (Api.PendingInvocations, Api.InFlightInvocations, Api.InvocationsServed, Api.InvocationsCompleted));
    }

    [Fact]
    public async Task Cancelling_a_queued_invocation_withdraws_it()
    {
        using var cancellation = new CancellationTokenSource();
        var withdrawn = Api.InvokeAsync(new InvocationRequest("""{"withdrawn":true}"""), cancellation.Token);
        var kept = Api.InvokeAsync("""{"kept":true}""");

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => withdrawn);
        Assert.Equal(1, Api.PendingInvocations);
        var delivered = await Function.NextAsync();
        Assert.Equal("""{"kept":true}""", delivered.BodyText);
        using var posted = await Function.PostResponseAsync(delivered.RequestId, "{}");
        Assert.True((await kept.WaitAsync(Patience)).Succeeded);
    }

    [Fact]
    public async Task Cancelling_after_the_function_took_the_invocation_still_accepts_its_response()
    {
        using var cancellation = new CancellationTokenSource();
        var invocation = Api.InvokeAsync(new InvocationRequest("{}"), cancellation.Token);
        var delivered = await Function.NextAsync();

        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => invocation);
        using var posted = await Function.PostResponseAsync(delivered.RequestId, "{}");

        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        Assert.Equal(1, Api.InvocationsCompleted);
    }

    [Fact]
    public async Task A_request_id_cannot_be_queued_twice()
    {
        _ = Api.InvokeAsync(new InvocationRequest("{}") { RequestId = "same" });

        await Assert.ThrowsAsync<ArgumentException>(() => Api.InvokeAsync(new InvocationRequest("{}") { RequestId = "same" }));
    }

    [Fact]
    public async Task Disposing_the_server_ends_waiting_polls_and_invocations()
    {
        var next = Function.StartNextAsync();
        await Api.WaitForFunctionAsync().WaitAsync(Patience);
        await using var other = await LambdaRuntimeApiServer.StartAsync();
        var waiting = other.InvokeAsync("{}");

        await Api.DisposeAsync();
        await other.DisposeAsync();

        await Assert.ThrowsAsync<HttpRequestException>(() => next.WaitAsync(Patience));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(Patience));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => Api.InvokeAsync("{}"));
    }

    [Theory]
    [InlineData("GET", "2018-06-01/runtime/invocation/next/now", HttpStatusCode.NotFound)]
    [InlineData("GET", "2020-01-01/runtime/invocation/next", HttpStatusCode.NotFound)]
    [InlineData("GET", "2018-06-01/runtime/invocation/abc/response", HttpStatusCode.MethodNotAllowed)]
    [InlineData("POST", "2018-06-01/runtime/invocation/next", HttpStatusCode.MethodNotAllowed)]
    public async Task Unknown_paths_and_methods_are_refused(string method, string path, HttpStatusCode expected)
    {
        using var http = new HttpClient { BaseAddress = Api.BaseAddress };
        using var request = new HttpRequestMessage(new HttpMethod(method), path);

        using var response = await http.SendAsync(request).WaitAsync(Patience);

        Assert.Equal(expected, response.StatusCode);
    }

    private Task<HttpResponseMessage> PostAsync(string kind, string requestId) =>
        kind == "response"
            ? Function.PostResponseAsync(requestId, """{"ok":true}""")
            : Function.PostErrorAsync(requestId, "Oops", """{"errorMessage":"failed","errorType":"Oops"}""");

    internal static async Task AssertRuntimeApiErrorAsync(HttpResponseMessage response, string errorType, string? errorMessage)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(errorType, document.RootElement.GetProperty("errorType").GetString());
        var message = document.RootElement.GetProperty("errorMessage").GetString();
        Assert.False(string.IsNullOrEmpty(message));
        if (errorMessage is not null)
        {
            Assert.Equal(errorMessage, message);
        }
    }
}
