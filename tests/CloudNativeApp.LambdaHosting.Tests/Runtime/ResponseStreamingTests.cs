namespace CloudNativeApp.LambdaHosting.Tests.Runtime;

/// <summary>Lambda:ResponseStreaming through the test Runtime API, which takes streamed responses as Lambda does.</summary>
[Collection(nameof(LambdaServerTests))]
public sealed class ResponseStreamingTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static byte[] FunctionUrlGet(string path) => TestEvents.FunctionUrlGet(path);

    private static Task<LambdaFunction> StartAsync(Action<WebApplication> map, bool streaming = true, Action<IServiceCollection>? services = null) =>
        LambdaFunction.StartAsync(map, configure =>
        {
            configure.Configure<LambdaHostingOptions>(options => options.ResponseStreaming = streaming);
            services?.Invoke(configure);
        });

    [Fact]
    public async Task A_function_url_response_arrives_as_the_app_flushes_it_with_its_prelude()
    {
        await using var function = await StartAsync(app => app.MapGet("/stream", async (HttpContext context) =>
        {
            context.Response.ContentType = "text/plain";
            context.Response.Headers.Append("Set-Cookie", "a=1");
            context.Response.Headers.Append("Set-Cookie", "b=2");
            context.Response.Headers.Append("X-Many", "x");
            context.Response.Headers.Append("X-Many", "y");
            await context.Response.WriteAsync("first;");
            await context.Response.Body.FlushAsync();
            await Task.Delay(1000);
            await context.Response.WriteAsync("second;");
            await Task.Delay(100);
            await context.Response.WriteAsync("third");
        }));

        var outcome = await function.InvokeAsync(FunctionUrlGet("/stream"));
        var next = await function.InvokeAsync(FunctionUrlGet("/stream"));

        outcome.EnsureSucceeded();
        var streamed = Assert.IsType<StreamedPayload>(outcome.Streamed);
        Assert.Equal("application/vnd.awslambda.http-integration-response", streamed.ContentType);
        Assert.Equal("first;second;third", Encoding.UTF8.GetString(streamed.Body.Span));
        var prelude = streamed.Prelude();
        Assert.Equal(200, prelude.GetProperty("statusCode").GetInt32());
        Assert.Equal("text/plain", prelude.GetProperty("headers").GetProperty("Content-Type").GetString());
        Assert.Equal("x, y", prelude.GetProperty("headers").GetProperty("X-Many").GetString());
        Assert.Equal(["a=1", "b=2"], prelude.GetProperty("cookies").EnumerateArray().Select(cookie => cookie.GetString()));
        Assert.False(prelude.TryGetProperty("body", out _));
        Assert.Null(streamed.Error);
        Assert.Equal("Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body", streamed.AnnouncedTrailers);

        // The first flush went out while the app was still writing, 1.1 s before the end (the margin is for a loaded
        // CI machine).
        Assert.True(outcome.TimeToFirstBodyByte < outcome.Duration - TimeSpan.FromMilliseconds(500), $"first body byte after {outcome.TimeToFirstBodyByte}, done after {outcome.Duration}");
        Assert.True(streamed.Reads > 1);

        // The Runtime API wants the connection closed after a streamed response: the next /next came on a new one.
        Assert.NotEqual(streamed.ConnectionId, next.DeliveryConnectionId);
        Assert.NotNull(next.EnsureSucceeded().Streamed);
    }

    [Fact]
    public async Task With_concurrent_workers_each_streams_on_its_own_connection()
    {
        var bothStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = 0;
        await using var function = await StartAsync(
            app => app.MapGet("/stream", async (HttpContext context) =>
            {
                await context.Response.WriteAsync($"{context.TraceIdentifier};");
                await context.Response.Body.FlushAsync();
                if (Interlocked.Increment(ref started) == 2)
                {
                    bothStarted.SetResult();
                }

                // Both streams are open at once before either ends.
                await bothStarted.Task.WaitAsync(Patience);
                await context.Response.WriteAsync("end");
            }),
            services: services => services.Configure<LambdaHostingOptions>(options => options.MaxConcurrency = 2));

        var outcomes = await Task.WhenAll(function.InvokeAsync(FunctionUrlGet("/stream")), function.InvokeAsync(FunctionUrlGet("/stream")));

        Assert.All(outcomes, outcome =>
            Assert.Equal($"{outcome.RequestId};end", Encoding.UTF8.GetString(outcome.EnsureSucceeded().Streamed!.Body.Span)));
        Assert.NotEqual(outcomes[0].Streamed!.ConnectionId, outcomes[1].Streamed!.ConnectionId);
    }

    [Fact]
    public async Task A_rest_api_response_is_streamed_with_multi_value_headers()
    {
        await using var function = await StartAsync(app => app.MapGet("/stream", (HttpContext context) =>
        {
            context.Response.Headers.Append("Set-Cookie", "a=1");
            context.Response.Headers.Append("Set-Cookie", "b=2");
            return Results.Json(new { hello = "world" }, statusCode: 201);
        }));

        var streamed = (await function.InvokeAsync(TestEvents.RestApiGet("/stream"))).EnsureSucceeded().Streamed!;

        var prelude = streamed.Prelude();
        Assert.Equal(201, prelude.GetProperty("statusCode").GetInt32());
        Assert.Equal(["a=1", "b=2"], prelude.GetProperty("multiValueHeaders").GetProperty("Set-Cookie").EnumerateArray().Select(value => value.GetString()));
        Assert.Equal("""{"hello":"world"}""", Encoding.UTF8.GetString(streamed.Body.Span));
    }

    [Fact]
    public async Task An_exception_after_the_prelude_ends_the_stream_with_the_error_trailers_and_the_loop_goes_on()
    {
        await using var function = await StartAsync(app => app.MapGet("/stream", async (HttpContext context) =>
        {
            await context.Response.WriteAsync("partial");
            await context.Response.Body.FlushAsync();
            throw new InvalidOperationException("secret detail");
        }));

        var failed = await function.InvokeAsync(FunctionUrlGet("/stream"));
        var next = await function.InvokeAsync(FunctionUrlGet("/stream"));

        // Lambda counts it a successful invocation and forwards the trailers to the caller.
        var streamed = failed.EnsureSucceeded().Streamed!;
        Assert.Equal("partial", Encoding.UTF8.GetString(streamed.Body.Span));
        Assert.Equal(200, streamed.Prelude().GetProperty("statusCode").GetInt32());
        var error = Assert.IsType<FunctionError>(streamed.Error);
        Assert.Equal(nameof(InvalidOperationException), error.ErrorTypeHeader);
        Assert.True(error.IsWellFormed, error.BodyText);
        Assert.Equal(nameof(InvalidOperationException), error.ErrorType);
        Assert.DoesNotContain("secret detail", error.BodyText, StringComparison.Ordinal);
        Assert.Contains(function.Logs.Entries, entry => entry.Level == LogLevel.Error && entry.Exception?.Message == "secret detail");
        Assert.NotNull(next.EnsureSucceeded().Streamed!.Error);
    }

    [Fact]
    public async Task An_exception_before_anything_was_sent_is_still_a_500_problem()
    {
        await using var function = await StartAsync(app => app.MapGet("/stream", async (HttpContext context) =>
        {
            // Below the send threshold and not flushed (HttpResponse.WriteAsync(string) would flush): still in the buffer.
            await context.Response.Body.WriteAsync("not flushed"u8.ToArray());
            throw new InvalidOperationException("early");
        }));

        var streamed = (await function.InvokeAsync(FunctionUrlGet("/stream"))).EnsureSucceeded().Streamed!;

        Assert.Null(streamed.Error);
        var prelude = streamed.Prelude();
        Assert.Equal(500, prelude.GetProperty("statusCode").GetInt32());
        Assert.Equal("application/problem+json", prelude.GetProperty("headers").GetProperty("Content-Type").GetString());
        using var problem = JsonDocument.Parse(streamed.Body);
        Assert.Equal(500, problem.RootElement.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task A_relay_client_that_disconnects_mid_stream_leaves_the_function_to_finish_and_serve_on()
    {
        var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var function = await StartAsync(app => app.MapGet("/stream", async (HttpContext context) =>
        {
            for (var i = 0; i < 20; i++)
            {
                await context.Response.WriteAsync($"part {i}\n");
                await context.Response.Body.FlushAsync();
                await Task.Delay(25);
            }

            finished.TrySetResult();
        }));
        using var caller = new HttpClient { Timeout = Patience };

        string requestId;
        using (var request = new HttpRequestMessage(HttpMethod.Post, function.Api.InvokeEndpoint) { Content = new ByteArrayContent(FunctionUrlGet("/stream")) })
        using (var response = await caller.SendAsync(request, HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/vnd.awslambda.http-integration-response", response.Content.Headers.ContentType?.MediaType);
            requestId = response.Headers.GetValues("X-Amzn-RequestId").Single();
            var relayed = await response.Content.ReadAsStreamAsync();
            var first = new byte[16];
            Assert.True(await relayed.ReadAsync(first) > 0);
        }

        var outcome = await function.Api.WaitForOutcomeAsync(requestId).WaitAsync(Patience);
        await finished.Task.WaitAsync(Patience);
        var again = await function.InvokeAsync(FunctionUrlGet("/stream"));

        Assert.EndsWith("part 19\n", Encoding.UTF8.GetString(outcome.EnsureSucceeded().Streamed!.Body.Span), StringComparison.Ordinal);
        Assert.EndsWith("part 19\n", Encoding.UTF8.GetString(again.EnsureSucceeded().Streamed!.Body.Span), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_invoke_api_relays_a_streamed_response_piece_by_piece()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var function = await StartAsync(app => app.MapGet("/stream", async (HttpContext context) =>
        {
            await context.Response.WriteAsync("before;");
            await context.Response.Body.FlushAsync();
            await release.Task.WaitAsync(Patience);
            await context.Response.WriteAsync("after");
        }));
        using var caller = new HttpClient { Timeout = Patience };
        using var request = new HttpRequestMessage(HttpMethod.Post, function.Api.InvokeEndpoint) { Content = new ByteArrayContent(FunctionUrlGet("/stream")) };

        using var response = await caller.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var relayed = await response.Content.ReadAsStreamAsync();
        var received = new MemoryStream();
        var buffer = new byte[4096];
        while (!received.ToArray().AsSpan().EndsWith("before;"u8))
        {
            var read = await relayed.ReadAsync(buffer).AsTask().WaitAsync(Patience);
            Assert.NotEqual(0, read);
            received.Write(buffer, 0, read);
        }

        // Everything up to the flush arrived while the function was still waiting to write the rest.
        Assert.False(release.Task.IsCompleted);
        release.SetResult();
        await relayed.CopyToAsync(received);
        Assert.EndsWith("\0\0\0\0\0\0\0\0before;after", Encoding.UTF8.GetString(received.ToArray()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Http_api_alb_and_direct_invocations_stay_buffered_with_streaming_on()
    {
        await using var function = await StartAsync(
            app => app.MapGet("/{**path}", () => "buffered"),
            services: services => services.AddLambdaDirectInvocationHandler<LambdaServerTests.EchoHandler>());

        var httpApi = await function.InvokeAsync(TestEvents.HttpApiGet);
        var alb = await function.InvokeAsync(TestEvents.Edit(TestEvents.Alb, root => root["path"] = "/plain"));
        var direct = await function.InvokeAsync("""{"hello":"world"}"""u8.ToArray());

        Assert.Null(httpApi.EnsureSucceeded().Streamed);
        Assert.Equal("buffered", httpApi.ResponseJson().GetProperty("body").GetString());
        Assert.Null(alb.EnsureSucceeded().Streamed);
        Assert.Equal("buffered", alb.ResponseJson().GetProperty("body").GetString());
        Assert.Null(direct.EnsureSucceeded().Streamed);
        Assert.Equal("world", direct.ResponseJson().GetProperty("echo").GetProperty("hello").GetString());
    }

    [Fact]
    public async Task With_streaming_off_a_function_url_response_is_buffered()
    {
        await using var function = await StartAsync(app => app.MapGet("/plain", () => "buffered"), streaming: false);

        var outcome = await function.InvokeAsync(FunctionUrlGet("/plain"));

        Assert.Null(outcome.EnsureSucceeded().Streamed);
        Assert.Equal("application/json", outcome.ResponseContentType);
        Assert.Equal("buffered", outcome.ResponseJson().GetProperty("body").GetString());
    }

    [Fact]
    public async Task A_streamed_response_can_be_larger_than_the_buffered_limit()
    {
        var line = new string('x', 1023) + "\n";
        await using var function = await StartAsync(app => app.MapGet("/big", async (HttpContext context) =>
        {
            for (var i = 0; i < 8 * 1024; i++)
            {
                await context.Response.WriteAsync(line);
            }
        }));

        var streamed = (await function.InvokeAsync(FunctionUrlGet("/big"))).EnsureSucceeded().Streamed!;

        Assert.Equal(8 * 1024 * 1024, streamed.Body.Length);
        Assert.True(streamed.Reads > 1);
    }
}
