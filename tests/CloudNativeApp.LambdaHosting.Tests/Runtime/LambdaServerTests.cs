namespace CloudNativeApp.LambdaHosting.Tests.Runtime;

// One collection: the server sets the process-wide _X_AMZN_TRACE_ID, so these tests must not overlap.
[Collection(nameof(LambdaServerTests))]
public sealed class LambdaServerTests
{
    [Fact]
    public async Task Http_event_runs_through_the_pipeline_with_the_invocation_context()
    {
        var started = false;
        await using var function = await LambdaFunction.StartAsync(
            app =>
            {
                app.Lifetime.ApplicationStarted.Register(() => started = true);
                app.MapGet("/my/path", (HttpContext context, ILambdaContext lambda) => Results.Json(new
                {
                    traceIdentifier = context.TraceIdentifier,
                    featureRequestId = context.GetLambdaContext()?.AwsRequestId,
                    injectedRequestId = lambda.AwsRequestId,
                    functionArn = lambda.InvokedFunctionArn,
                    remainingMs = lambda.RemainingTime.TotalMilliseconds,
                    traceId = lambda.TraceId,
                    traceVariable = Environment.GetEnvironmentVariable("_X_AMZN_TRACE_ID"),
                    clientContext = lambda.ClientContext,
                    started,
                }));
            });

        var outcome = await function.InvokeAsync(new InvocationRequest(TestEvents.HttpApiGet)
        {
            TraceId = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1",
            ClientContext = """{"client":{"app_title":"test"}}""",
        });

        var response = outcome.EnsureSucceeded().ResponseJson();
        Assert.Equal(200, response.GetProperty("statusCode").GetInt32());
        using var body = JsonDocument.Parse(response.GetProperty("body").GetString()!);
        var seen = body.RootElement;
        Assert.Equal(outcome.RequestId, seen.GetProperty("traceIdentifier").GetString());
        Assert.Equal(outcome.RequestId, seen.GetProperty("featureRequestId").GetString());
        Assert.Equal(outcome.RequestId, seen.GetProperty("injectedRequestId").GetString());
        Assert.Equal(function.Api.Options.InvokedFunctionArn, seen.GetProperty("functionArn").GetString());
        Assert.InRange(seen.GetProperty("remainingMs").GetDouble(), 1, 30_000);
        Assert.Equal("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1", seen.GetProperty("traceId").GetString());
        Assert.Equal(seen.GetProperty("traceId").GetString(), seen.GetProperty("traceVariable").GetString());
        Assert.Equal("""{"client":{"app_title":"test"}}""", seen.GetProperty("clientContext").GetString());
        Assert.True(seen.GetProperty("started").GetBoolean());
    }

    [Fact]
    public async Task One_function_serves_every_event_source_detected_per_event()
    {
        await using var function = await LambdaFunction.StartAsync(app =>
            app.Map("/{**path}", (HttpContext context) => Results.Text($"{context.Request.Method} {context.Request.Path} {context.GetLambdaEvent()!.Source}")));

        var v1 = await function.InvokeAsync(TestEvents.Load(TestEvents.RestApi));
        var v2 = await function.InvokeAsync(TestEvents.Load(TestEvents.HttpApi));
        var url = await function.InvokeAsync(TestEvents.Load(TestEvents.FunctionUrl));
        var alb = await function.InvokeAsync(TestEvents.Load(TestEvents.Alb));

        Assert.Equal("GET /my/path RestApi", v1.EnsureSucceeded().ResponseJson().GetProperty("body").GetString());
        Assert.Equal("POST /my/path HttpApi", v2.EnsureSucceeded().ResponseJson().GetProperty("body").GetString());
        Assert.Equal("POST /my/path HttpApi", url.EnsureSucceeded().ResponseJson().GetProperty("body").GetString());
        var albResponse = alb.EnsureSucceeded().ResponseJson();
        Assert.Equal("GET / Alb", albResponse.GetProperty("body").GetString());
        Assert.Equal("200 OK", albResponse.GetProperty("statusDescription").GetString());
    }

    [Fact]
    public async Task Unparseable_event_is_a_function_error_and_the_loop_goes_on()
    {
        await using var function = await LambdaFunction.StartAsync(app => app.MapGet("/my/path", () => "ok"));

        var broken = await function.InvokeAsync("{\"httpMethod\": GET"u8.ToArray());
        var next = await function.InvokeAsync(TestEvents.HttpApiGet);

        Assert.Equal(InvocationStatus.FunctionError, broken.Status);
        Assert.Equal(LambdaErrorTypes.InvalidEvent, broken.Error!.ErrorType);
        Assert.Equal(LambdaErrorTypes.InvalidEvent, broken.Error.ErrorTypeHeader);
        Assert.Equal("application/vnd.aws.lambda.error+json", broken.Error.ContentType);
        Assert.Contains("not valid JSON", broken.Error.ErrorMessage, StringComparison.Ordinal);
        Assert.True(broken.Error.IsWellFormed);
        Assert.Equal(200, next.EnsureSucceeded().ResponseJson().GetProperty("statusCode").GetInt32());
    }

    [Fact]
    public async Task Exception_in_an_endpoint_is_a_500_problem_response_not_a_crash()
    {
        await using var function = await LambdaFunction.StartAsync(app =>
            app.MapGet("/my/path", string () => throw new InvalidOperationException("endpoint failed")));

        var failed = await function.InvokeAsync(TestEvents.HttpApiGet);
        var again = await function.InvokeAsync(TestEvents.HttpApiGet);

        var response = failed.EnsureSucceeded().ResponseJson();
        Assert.Equal(500, response.GetProperty("statusCode").GetInt32());
        Assert.Equal("application/problem+json", response.GetProperty("headers").GetProperty("Content-Type").GetString());
        Assert.Contains(failed.RequestId, response.GetProperty("body").GetString(), StringComparison.Ordinal);
        Assert.Equal(500, again.EnsureSucceeded().ResponseJson().GetProperty("statusCode").GetInt32());
        Assert.Contains(function.Logs.Entries, entry => entry.Level == LogLevel.Error && entry.Exception?.Message == "endpoint failed");
    }

    [Fact]
    public async Task Direct_invocation_goes_to_the_registered_handler()
    {
        await using var function = await LambdaFunction.StartAsync(_ => { }, services => services.AddLambdaDirectInvocationHandler<EchoHandler>());

        var echoed = await function.InvokeAsync("""{"hello":"world"}"""u8.ToArray());
        var rejected = await function.InvokeAsync("""{"fail":true}"""u8.ToArray());
        var crashed = await function.InvokeAsync("""{"crash":true}"""u8.ToArray());

        var response = echoed.EnsureSucceeded().ResponseJson();
        Assert.Equal("world", response.GetProperty("echo").GetProperty("hello").GetString());
        Assert.Equal(echoed.RequestId, response.GetProperty("requestId").GetString());
        Assert.Equal("Echo.InvalidEvent", rejected.Error!.ErrorType);
        Assert.Equal("Echo.InvalidEvent", rejected.Error.ErrorTypeHeader);
        Assert.Equal("fail was requested", rejected.Error.ErrorMessage);
        Assert.Equal(nameof(ArgumentOutOfRangeException), crashed.Error!.ErrorType);
        Assert.NotEmpty(crashed.Error.StackTrace);
    }

    [Fact]
    public async Task Direct_invocation_without_a_handler_is_an_unsupported_event_error()
    {
        await using var function = await LambdaFunction.StartAsync(_ => { });

        var outcome = await function.InvokeAsync("""{"Number1":10,"Number2":20}"""u8.ToArray());

        Assert.Equal(InvocationStatus.FunctionError, outcome.Status);
        Assert.Equal(LambdaErrorTypes.UnsupportedEvent, outcome.Error!.ErrorType);
        Assert.Contains("no handler for direct invocations", outcome.Error.ErrorMessage, StringComparison.Ordinal);
        Assert.StartsWith("The event is an object with properties Number1, Number2", outcome.Error.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WebSocket_event_without_a_handler_is_named_in_the_error()
    {
        await using var function = await LambdaFunction.StartAsync(_ => { });

        var outcome = await function.InvokeAsync(TestEvents.Load(TestEvents.WebSocketMessage));

        Assert.Equal(LambdaErrorTypes.UnsupportedEvent, outcome.Error!.ErrorType);
        Assert.StartsWith("The event is an API Gateway WebSocket API event (requestContext.eventType \"MESSAGE\"", outcome.Error.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestAborted_fires_at_the_invocation_deadline()
    {
        var apiOptions = new LambdaRuntimeApiOptions { DeadlineGracePeriod = TimeSpan.FromSeconds(30) };
        await using var function = await LambdaFunction.StartAsync(
            app => app.MapGet("/my/path", async (HttpContext context) =>
            {
                try
                {
                    await Task.Delay(Timeout.Infinite, context.RequestAborted);
                    return Results.Ok();
                }
                catch (OperationCanceledException)
                {
                    return Results.StatusCode(StatusCodes.Status504GatewayTimeout);
                }
            }),
            apiOptions: apiOptions);

        var outcome = await function.InvokeAsync(TestEvents.HttpApiGet, timeout: TimeSpan.FromSeconds(1));

        Assert.Equal(504, outcome.EnsureSucceeded().ResponseJson().GetProperty("statusCode").GetInt32());
    }

    [Fact]
    public async Task Every_log_line_of_an_invocation_carries_its_request_id()
    {
        await using var function = await LambdaFunction.StartAsync(app =>
            app.MapGet("/my/path", (ILoggerFactory loggers) =>
            {
                HandlingRequest(loggers.CreateLogger("Endpoint"), null);
                return "ok";
            }));

        var first = await function.InvokeAsync(TestEvents.HttpApiGet);
        var second = await function.InvokeAsync(TestEvents.HttpApiGet);

        var lines = function.Logs.Entries.Where(entry => entry.Category == "Endpoint").ToList();
        Assert.Equal(2, lines.Count);
        Assert.Equal(first.RequestId, lines[0].Scope("AwsRequestId"));
        Assert.Equal(second.RequestId, lines[1].Scope("AwsRequestId"));
    }

    [Fact]
    public async Task Oversized_response_is_refused_and_the_loop_goes_on()
    {
        var apiOptions = new LambdaRuntimeApiOptions { MaxPayloadBytes = 4096 };
        await using var function = await LambdaFunction.StartAsync(
            app => app.MapGet("/my/path", (int? size) => Results.Text(new string('x', size ?? 10))),
            apiOptions: apiOptions);

        var tooLarge = await function.InvokeAsync(TestEvents.Edit(TestEvents.HttpApi, root =>
        {
            root["requestContext"]!["http"]!["method"] = "GET";
            root["rawQueryString"] = "size=10000";
            root["body"] = null;
        }));
        var small = await function.InvokeAsync(TestEvents.HttpApiGet);

        Assert.Equal(InvocationStatus.ResponseTooLarge, tooLarge.Status);
        Assert.Equal("xxxxxxxxxx", small.EnsureSucceeded().ResponseJson().GetProperty("body").GetString());
    }

    [Fact]
    public async Task Stopping_the_host_ends_the_long_poll_promptly()
    {
        var function = await LambdaFunction.StartAsync(app => app.MapGet("/my/path", () => "ok"));
        await using (function)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await function.App.StopAsync(timeout.Token);

            Assert.False(timeout.IsCancellationRequested);
        }
    }

    [Fact]
    public async Task Init_error_is_reported_with_its_type_and_message()
    {
        await using var api = await LambdaRuntimeApiServer.StartAsync();

        var reported = Runtime_init_error_reporter_report(api.RuntimeApiAddress, new AggregateException(
            new InvalidOperationException("The DynamoDB table name is not configured (Items:TableName).")));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var error = await api.InitErrorAsync(timeout.Token);

        Assert.True(reported);
        Assert.Equal(nameof(InvalidOperationException), error.ErrorType);
        Assert.Equal(nameof(InvalidOperationException), error.ErrorTypeHeader);
        Assert.Equal("The DynamoDB table name is not configured (Items:TableName).", error.ErrorMessage);
    }

    private static readonly Action<ILogger, Exception?> HandlingRequest =
        LoggerMessage.Define(LogLevel.Information, new EventId(1), "handling the request");

    private static bool Runtime_init_error_reporter_report(string runtimeApi, Exception exception) =>
        LambdaHosting.Runtime.LambdaInitErrorReporter.Report(runtimeApi, exception);

    internal sealed class EchoHandler : ILambdaDirectInvocationHandler
    {
        public ValueTask HandleAsync(ReadOnlyMemory<byte> payload, IBufferWriter<byte> response, ILambdaContext context, CancellationToken cancellationToken)
        {
            var input = JsonNode.Parse(payload.Span)!.AsObject();
            if (input.ContainsKey("fail"))
            {
                throw new LambdaFunctionException("Echo.InvalidEvent", "fail was requested");
            }

            if (input.ContainsKey("crash"))
            {
                throw new ArgumentOutOfRangeException(nameof(payload), "crash was requested");
            }

            using var writer = new Utf8JsonWriter(response);
            new JsonObject { ["echo"] = input.DeepClone(), ["requestId"] = context.AwsRequestId }.WriteTo(writer);
            return ValueTask.CompletedTask;
        }
    }
}
