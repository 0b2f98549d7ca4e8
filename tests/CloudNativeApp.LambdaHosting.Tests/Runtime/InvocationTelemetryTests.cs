using System.Diagnostics.Metrics;

namespace CloudNativeApp.LambdaHosting.Tests.Runtime;

// The server's process-wide _X_AMZN_TRACE_ID: not alongside the other server tests.
[Collection(nameof(LambdaServerTests))]
public sealed class InvocationTelemetryTests
{
    private const string TraceHeader = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";

    [Fact]
    public async Task A_listened_invocation_is_a_server_span_with_faas_attributes_parenting_the_request_span()
    {
        using var spans = new SpanCollector(LambdaTelemetry.SourceName, "Microsoft.AspNetCore");
        await using var function = await LambdaFunction.StartAsync(app => app.MapGet("/my/path", () => "ok"));

        var first = await function.InvokeAsync(new InvocationRequest(TestEvents.HttpApiGet) { TraceId = TraceHeader });
        var second = await function.InvokeAsync(new InvocationRequest(TestEvents.HttpApiGet) { TraceId = TraceHeader });

        first.EnsureSucceeded();
        var invocation = await spans.SingleAsync(LambdaTelemetry.SourceName, first.RequestId);
        Assert.Equal(ActivityKind.Server, invocation.Kind);
        Assert.Equal("5759e988bd862e3fe1be46a994272793", invocation.TraceId.ToString());
        Assert.Equal("53995c3f42cd8ad8", invocation.ParentSpanId.ToString());
        Assert.Equal("http", invocation.GetTagItem("faas.trigger"));
        Assert.Equal(function.Api.Options.InvokedFunctionArn, invocation.GetTagItem("cloud.resource_id"));
        Assert.IsType<bool>(invocation.GetTagItem("faas.coldstart"));
        Assert.Equal(false, (await spans.SingleAsync(LambdaTelemetry.SourceName, second.EnsureSucceeded().RequestId)).GetTagItem("faas.coldstart"));
        Assert.Equal(ActivityStatusCode.Unset, invocation.Status);

        var request = Assert.Single(spans.All, span => span.Source.Name == "Microsoft.AspNetCore" && span.TraceId == invocation.TraceId && span.ParentSpanId == invocation.SpanId);
        Assert.Equal(ActivityKind.Server, request.Kind);
    }

    [Fact]
    public async Task A_failed_direct_invocation_is_an_error_span_triggered_by_other()
    {
        using var spans = new SpanCollector(LambdaTelemetry.SourceName);
        await using var function = await LambdaFunction.StartAsync(app => { });

        // No direct-invocation handler is registered: an SQS event is a function error.
        var outcome = await function.InvokeAsync(new InvocationRequest(TestEvents.Load(TestEvents.SqsMessage)) { TraceId = TraceHeader });

        Assert.False(outcome.Succeeded);
        var invocation = await spans.SingleAsync(LambdaTelemetry.SourceName, outcome.RequestId);
        Assert.Equal("other", invocation.GetTagItem("faas.trigger"));
        Assert.Equal(ActivityStatusCode.Error, invocation.Status);
        Assert.Equal(outcome.Error!.ErrorType, invocation.GetTagItem("error.type"));
    }

    /// <summary>The app answered 200, the caller got the server's 500 in its place: the trace must say so.</summary>
    [Fact]
    public async Task A_response_too_large_for_lambda_makes_the_invocation_span_an_error_with_the_status_sent()
    {
        using var spans = new SpanCollector(LambdaTelemetry.SourceName, "Microsoft.AspNetCore");
        await using var function = await LambdaFunction.StartAsync(app => app.MapGet("/my/path", () => Results.Text(new string('x', 7 * 1024 * 1024), "text/plain")));

        var outcome = await function.InvokeAsync(new InvocationRequest(TestEvents.HttpApiGet) { TraceId = TraceHeader });

        Assert.Equal(500, outcome.EnsureSucceeded().ResponseJson().GetProperty("statusCode").GetInt32());
        var invocation = await spans.SingleAsync(LambdaTelemetry.SourceName, outcome.RequestId);
        Assert.Equal(ActivityStatusCode.Error, invocation.Status);
        Assert.Equal(LambdaErrorTypes.ResponseTooLarge, invocation.GetTagItem("error.type"));
        Assert.Equal(500, invocation.GetTagItem("http.response.status_code"));
    }

    /// <summary>A response the Runtime API refuses (413) becomes a function error: the span records it as the others.</summary>
    [Fact]
    public async Task A_response_the_runtime_api_refuses_as_too_large_is_an_error_span()
    {
        using var spans = new SpanCollector(LambdaTelemetry.SourceName);
        await using var function = await LambdaFunction.StartAsync(
            app => app.MapGet("/my/path", () => Results.Text(new string('x', 10_000))),
            apiOptions: new LambdaRuntimeApiOptions { MaxPayloadBytes = 4096 });

        var outcome = await function.InvokeAsync(new InvocationRequest(TestEvents.HttpApiGet) { TraceId = TraceHeader });

        Assert.Equal(InvocationStatus.ResponseTooLarge, outcome.Status);
        var invocation = await spans.SingleAsync(LambdaTelemetry.SourceName, outcome.RequestId);
        Assert.Equal(ActivityStatusCode.Error, invocation.Status);
        Assert.Equal(LambdaErrorTypes.ResponseTooLarge, invocation.GetTagItem("error.type"));
    }

    [Fact]
    public async Task Invocation_duration_is_recorded_by_trigger()
    {
        var durations = new ConcurrentQueue<(double Seconds, object? Trigger)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == LambdaTelemetry.SourceName && instrument.Name == "faas.invoke_duration")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
            durations.Enqueue((value, tags.ToArray().FirstOrDefault(tag => tag.Key == "faas.trigger").Value)));
        listener.Start();
        await using var function = await LambdaFunction.StartAsync(app => app.MapGet("/my/path", () => "ok"));

        (await function.InvokeAsync(TestEvents.HttpApiGet)).EnsureSucceeded();

        await Eventually.TrueAsync(() => durations.Any(d => d.Trigger is "http" && d.Seconds is > 0 and < 60));
    }

    [Fact]
    public async Task Observers_see_each_invocation_on_its_own_flow_and_complete_after_its_response_is_posted()
    {
        var observer = new RecordingObserver();
        await using var function = await LambdaFunction.StartAsync(
            app => app.MapGet("/my/path", () => RecordingObserver.Current.Value ?? "none"),
            services => services.AddSingleton<ILambdaInvocationObserver>(observer));

        // The observer holds the worker after the invocation: the caller still gets its response.
        var outcome = await function.InvokeAsync(TestEvents.HttpApiGet);

        Assert.Equal(outcome.RequestId, outcome.EnsureSucceeded().ResponseJson().GetProperty("body").GetString());
        Assert.Equal(outcome.RequestId, await observer.Completed.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        observer.Release.SetResult();
    }

    private static class Eventually
    {
        public static async Task TrueAsync(Func<bool> condition)
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!condition())
            {
                Assert.True(DateTime.UtcNow < deadline, "The condition did not become true within 30 s.");
                await Task.Delay(10);
            }
        }
    }

    private sealed class RecordingObserver : ILambdaInvocationObserver
    {
        public static readonly AsyncLocal<string?> Current = new();

        public TaskCompletionSource<string> Completed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void InvocationStarting(ILambdaContext context) => Current.Value = context.AwsRequestId;

        public async Task InvocationCompletedAsync(ILambdaContext context)
        {
            Completed.TrySetResult(context.AwsRequestId);
            await Release.Task;
        }
    }

    /// <summary>Every stopped activity of the named sources, recorded (the listener is process-wide: filter by id).</summary>
    private sealed class SpanCollector : IDisposable
    {
        private readonly ActivityListener _listener;
        private readonly ConcurrentQueue<Activity> _stopped = new();

        public SpanCollector(params string[] sources)
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => sources.Contains(source.Name),
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = _stopped.Enqueue,
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public IReadOnlyCollection<Activity> All => _stopped;

        // The invocation span ends after the response is posted, so a little after the caller has it.
        public async Task<Activity> SingleAsync(string source, string invocationId)
        {
            bool Matches(Activity span) => span.Source.Name == source && span.GetTagItem("faas.invocation_id") as string == invocationId;
            await Eventually.TrueAsync(() => _stopped.Any(Matches));
            return Assert.Single(_stopped, Matches);
        }

        public void Dispose() => _listener.Dispose();
    }
}
