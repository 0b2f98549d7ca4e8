namespace CloudNativeApp.LambdaHosting.Tests.Http;

/// <summary>
/// When a streamed response's bytes go out. The Runtime API cannot show this (Kestrel hands its reader whatever has
/// arrived, not the chunks), so a recording target stands in for it; the wire format is tested against the real
/// Runtime API in Runtime/ResponseStreamingTests.
/// </summary>
public sealed class StreamingResponseBodyTests
{
    private static readonly byte[] FunctionUrlGet = TestEvents.FunctionUrlGet("/my/path");

    private static async Task<RecordingStream> StreamAsync(RequestDelegate app, byte[]? eventJson = null)
    {
        var target = new RecordingStream();
        var invoker = LambdaHttpInvoker.Create(app);
        var buffered = new ArrayBufferWriter<byte>();

        var kind = await invoker.InvokeAsync(eventJson ?? FunctionUrlGet, buffered, target, null, CancellationToken.None);

        Assert.Equal(LambdaInvocationKind.StreamedHttpResponse, kind);
        Assert.Equal(0, buffered.WrittenCount);
        Assert.True(target.Completed);
        return target;
    }

    [Fact]
    public async Task Small_unflushed_writes_are_coalesced_into_one_send_with_the_prelude()
    {
        var target = await StreamAsync(async context =>
        {
            for (var i = 0; i < 1000; i++)
            {
                await context.Response.Body.WriteAsync("0123456789"u8.ToArray());
            }
        });

        var send = Assert.Single(target.Sends);
        Assert.Equal(200, target.Prelude().GetProperty("statusCode").GetInt32());
        Assert.Equal(10_000, send.Length - target.PreludeLength);
        Assert.Null(target.Error);
    }

    [Fact]
    public async Task Unflushed_writes_go_out_in_chunks_of_at_least_the_threshold()
    {
        var target = await StreamAsync(async context =>
        {
            for (var i = 0; i < 400; i++)
            {
                await context.Response.Body.WriteAsync(new byte[100]);
            }
        });

        Assert.Equal(3, target.Sends.Count);
        Assert.All(target.Sends.SkipLast(1), send => Assert.True(send.Length >= StreamingResponseBody.TransmitThreshold));
        Assert.Equal(40_000, target.Body().Length);
    }

    [Fact]
    public async Task StartAsync_sends_the_prelude_after_the_OnStarting_callbacks_ran_once()
    {
        var started = 0;
        var target = await StreamAsync(async context =>
        {
            context.Response.OnStarting(() =>
            {
                started++;
                context.Response.Headers["X-Started"] = "yes";
                return Task.CompletedTask;
            });
            await context.Response.StartAsync();
            Assert.Equal(1, started);
            await context.Response.WriteAsync("body");
        });

        Assert.Equal(1, started);
        Assert.Equal(2, target.Sends.Count);
        Assert.Equal(target.PreludeLength, target.Sends[0].Length);
        Assert.Equal("yes", target.Prelude().GetProperty("headers").GetProperty("X-Started").GetString());
        Assert.Equal("body", Encoding.UTF8.GetString(target.Body()));
    }

    [Fact]
    public async Task After_DisableBuffering_every_write_goes_out_at_once()
    {
        var target = await StreamAsync(async context =>
        {
            context.Features.GetRequiredFeature<IHttpResponseBodyFeature>().DisableBuffering();
            await context.Response.Body.WriteAsync("a"u8.ToArray());
            await context.Response.Body.WriteAsync("b"u8.ToArray());
        });

        Assert.Equal(2, target.Sends.Count);
        Assert.Equal("ab", Encoding.UTF8.GetString(target.Body()));
    }

    [Fact]
    public async Task A_head_request_streams_its_prelude_without_a_body()
    {
        var head = TestEvents.Edit(TestEvents.FunctionUrl, root =>
        {
            root["requestContext"]!["http"]!["method"] = "HEAD";
            root["body"] = null;
        });

        var target = await StreamAsync(context => context.Response.WriteAsync("ignored"), head);

        Assert.Equal(200, target.Prelude().GetProperty("statusCode").GetInt32());
        Assert.Empty(target.Body());
    }

    [Fact]
    public async Task A_failed_send_is_an_io_error_for_the_app_and_the_stream_is_still_ended()
    {
        var target = new RecordingStream { FailSends = true };
        Exception? seen = null;
        var invoker = LambdaHttpInvoker.Create(async context =>
        {
            try
            {
                await context.Response.WriteAsync("x");
            }
            catch (IOException exception)
            {
                seen = exception;
                throw;
            }
        });

        await invoker.InvokeAsync(FunctionUrlGet, new ArrayBufferWriter<byte>(), target, null, CancellationToken.None);

        Assert.IsType<IOException>(seen);
        Assert.True(target.Completed);
        Assert.Empty(target.Sends);
    }

    private sealed class RecordingStream : IStreamingResponse
    {
        public List<byte[]> Sends { get; } = [];

        public bool FailSends { get; init; }

        public bool Completed { get; private set; }

        public Exception? Error { get; private set; }

        public int PreludeLength => All().AsSpan().IndexOf(new byte[8]) + 8;

        public ValueTask SendAsync(ReadOnlyMemory<byte> first, ReadOnlyMemory<byte> second, CancellationToken cancellationToken)
        {
            if (FailSends)
            {
                throw new IOException("connection reset");
            }

            Sends.Add([.. first.Span, .. second.Span]);
            return ValueTask.CompletedTask;
        }

        public ValueTask CompleteAsync(Exception? error)
        {
            Completed = true;
            Error = error;
            return ValueTask.CompletedTask;
        }

        public JsonElement Prelude()
        {
            using var document = JsonDocument.Parse(All().AsMemory(0, PreludeLength - 8));
            return document.RootElement.Clone();
        }

        public byte[] Body() => All()[PreludeLength..];

        private byte[] All() => [.. Sends.SelectMany(send => send)];
    }
}
