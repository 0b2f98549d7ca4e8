namespace CloudNativeApp.LambdaHosting.Tests.Translation;

public sealed class PipelineBehaviourTests
{
    [Fact]
    public async Task Exception_in_the_app_becomes_a_500_problem_and_the_next_invocation_works()
    {
        var calls = 0;
        var invoker = LambdaHttpInvoker.Create(async context =>
        {
            if (calls++ == 0)
            {
                await context.Response.WriteAsync("partial output that must not leak");
                throw new InvalidOperationException("boom");
            }

            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync("fine");
        });

        var failed = await Translate.InvokeAsync(invoker, TestEvents.Load(TestEvents.HttpApi));
        var next = await Translate.InvokeAsync(invoker, TestEvents.Load(TestEvents.HttpApi));

        Assert.Equal(500, failed.StatusCode);
        Assert.Equal("application/problem+json", failed.Response.GetProperty("headers").GetProperty("Content-Type").GetString());
        using var problem = System.Text.Json.JsonDocument.Parse(failed.Body);
        Assert.Equal(500, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Equal("id", problem.RootElement.GetProperty("traceId").GetString());
        Assert.DoesNotContain("partial", failed.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("boom", failed.Body, StringComparison.Ordinal);
        Assert.Equal(200, next.StatusCode);
        Assert.Equal("fine", next.Body);
    }

    [Fact]
    public async Task Nothing_of_one_invocation_leaks_into_the_next()
    {
        var calls = 0;
        var seenHeaders = new List<string>();
        var invoker = LambdaHttpInvoker.Create(async context =>
        {
            seenHeaders.Add(context.Request.Headers["X-First"].ToString());
            context.Items["seen"] = calls;
            if (calls++ == 0)
            {
                context.Response.Headers["X-Only-First"] = "1";
                context.Response.StatusCode = 418;
                await context.Response.WriteAsync("first");
            }
        });

        await Translate.InvokeAsync(invoker, TestEvents.Edit(TestEvents.HttpApi, root => root["headers"]!["X-First"] = "yes"));
        var second = await Translate.InvokeAsync(invoker, TestEvents.Load(TestEvents.HttpApi));

        Assert.Equal(["yes", ""], seenHeaders);
        Assert.Equal(200, second.StatusCode);
        Assert.Equal("", second.Body);
        Assert.False(second.Response.GetProperty("headers").TryGetProperty("X-Only-First", out _));
    }

    [Fact]
    public async Task OnStarting_runs_before_the_response_is_written_and_OnCompleted_after()
    {
        var order = new List<string>();
        var result = await Translate.InvokeAsync(TestEvents.Load(TestEvents.HttpApi), async context =>
        {
            context.Response.OnStarting(() =>
            {
                order.Add("starting");
                context.Response.Headers["X-Added-On-Start"] = "yes";
                return Task.CompletedTask;
            });
            context.Response.OnCompleted(() =>
            {
                order.Add("completed");
                return Task.CompletedTask;
            });
            await context.Response.WriteAsync("body");
            order.Add("written");
            Assert.True(context.Response.HasStarted);
        });

        Assert.Equal(["starting", "written", "completed"], order);
        Assert.Equal("yes", result.Response.GetProperty("headers").GetProperty("X-Added-On-Start").GetString());
    }

    [Fact]
    public async Task Response_that_never_writes_still_runs_OnStarting()
    {
        var started = false;
        var result = await Translate.InvokeAsync(TestEvents.Load(TestEvents.RestApi), context =>
        {
            context.Response.OnStarting(() =>
            {
                started = true;
                return Task.CompletedTask;
            });
            context.Response.StatusCode = StatusCodes.Status202Accepted;
            return Task.CompletedTask;
        });

        Assert.True(started);
        Assert.Equal(202, result.StatusCode);
    }

    [Fact]
    public async Task RequestAborted_fires_when_the_invocation_is_cancelled()
    {
        using var deadline = new CancellationTokenSource();
        var aborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var invoker = LambdaHttpInvoker.Create(async context =>
        {
            context.RequestAborted.Register(aborted.SetResult);
            await deadline.CancelAsync();
            await aborted.Task.WaitAsync(TimeSpan.FromSeconds(30));
            context.Response.StatusCode = 504;
        });

        var result = await Translate.InvokeAsync(invoker, TestEvents.Load(TestEvents.HttpApi), cancellationToken: deadline.Token);

        Assert.True(aborted.Task.IsCompletedSuccessfully);
        Assert.Equal(504, result.StatusCode);
    }

    [Fact]
    public async Task RequestAborted_of_a_reused_feature_set_is_fresh()
    {
        var states = new List<bool>();
        var invoker = LambdaHttpInvoker.Create(context =>
        {
            states.Add(context.RequestAborted.IsCancellationRequested);
            context.Abort();
            return Task.CompletedTask;
        });

        await Translate.InvokeAsync(invoker, TestEvents.Load(TestEvents.HttpApi));
        await Translate.InvokeAsync(invoker, TestEvents.Load(TestEvents.HttpApi));

        Assert.Equal([false, false], states);
    }

    [Fact]
    public async Task Lambda_context_and_raw_event_are_features_and_the_request_id_is_the_trace_identifier()
    {
        var lambdaContext = new LambdaContext("lambda-request-7", DateTimeOffset.UtcNow.AddMinutes(1)) { InvokedFunctionArn = "arn:aws:lambda:eu-west-1:123456789012:function:app" };
        ILambdaContext? seenContext = null;
        string? stage = null;
        var eventJson = TestEvents.Load(TestEvents.HttpApi);
        var result = await Translate.InvokeAsync(eventJson, context =>
        {
            seenContext = context.GetLambdaContext();
            stage = context.GetLambdaEvent()!.ParsedEvent.GetProperty("requestContext").GetProperty("stage").GetString();
            return Task.CompletedTask;
        }, lambdaContext: lambdaContext);

        Assert.Same(lambdaContext, seenContext);
        Assert.Equal("$default", stage);
        Assert.Equal("lambda-request-7", result.Request!.TraceIdentifier);
        Assert.Equal(eventJson.Length, result.Request.RawEventLength);
    }

    [Fact]
    public async Task Forced_event_source_is_used_for_http_events_but_not_for_direct_ones()
    {
        var options = new LambdaHostingOptions { EventSource = LambdaEventSource.RestApi };

        var http = await Translate.InvokeAsync(TestEvents.Load(TestEvents.HttpApi), options: options);
        var direct = await Translate.InvokeAsync("""{"Number1":10,"Number2":20}"""u8.ToArray(), options: options);

        Assert.Equal(LambdaEventSource.RestApi, http.Request!.Source);
        Assert.Equal(LambdaInvocationKind.NotHttpEvent, direct.Kind);
    }

    [Theory]
    [InlineData("""{"Number1":10,"Number2":20}""")]
    [InlineData("""{"key1":"value1","requestContext":null}""")]
    [InlineData("""[1,2,3]""")]
    [InlineData("\"just a string\"")]
    [InlineData("42")]
    [InlineData("{}")]
    public async Task Non_http_events_are_left_for_the_direct_handler(string eventJson)
    {
        var result = await Translate.InvokeAsync(Encoding.UTF8.GetBytes(eventJson));

        Assert.Equal(LambdaInvocationKind.NotHttpEvent, result.Kind);
        Assert.Null(result.Request);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"httpMethod\":")]
    [InlineData("")]
    public async Task Unparseable_event_is_an_invalid_event_error(string eventJson)
    {
        var error = await Assert.ThrowsAsync<LambdaFunctionException>(() => Translate.InvokeAsync(Encoding.UTF8.GetBytes(eventJson)));

        Assert.Equal(LambdaErrorTypes.InvalidEvent, error.ErrorType);
        Assert.Contains("not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_base64_body_is_an_invalid_event_error()
    {
        var eventJson = TestEvents.Edit(TestEvents.RestApi, root =>
        {
            root["body"] = "***not base64***";
            root["isBase64Encoded"] = true;
        });

        var error = await Assert.ThrowsAsync<LambdaFunctionException>(() => Translate.InvokeAsync(eventJson));

        Assert.Equal(LambdaErrorTypes.InvalidEvent, error.ErrorType);
        Assert.Contains("base64", error.Message, StringComparison.Ordinal);
    }
}
