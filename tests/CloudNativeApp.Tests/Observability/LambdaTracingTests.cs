extern alias RuntimeApi;

using System.Diagnostics;
using System.Text.Json;
using CloudNativeApp.LambdaHosting;
using RuntimeApi::CloudNativeApp.LambdaRuntimeApi;

namespace CloudNativeApp.Tests.Observability;

/// <summary>The span tree of real invocations through the Lambda server, exported by the in-memory exporter.</summary>
[Collection(nameof(TelemetryListeners))]
public sealed class LambdaTracingTests
{
    [Fact]
    public async Task An_http_event_is_an_invocation_span_continuing_the_lambda_trace_and_parenting_the_request_span()
    {
        await using var api = await LambdaRuntimeApiServer.StartAsync();
        await using var app = new ObservedApp(api.RuntimeApiAddress).Start();
        var trace = XRayTrace.New();

        var outcome = await api.InvokeAsync(new InvocationRequest(HttpEvents.Get("/items/0123456789abcdef0123456789abcdef")) { TraceId = trace.Header }, Timeout());

        Assert.Equal(404, outcome.EnsureSucceeded().ResponseJson().GetProperty("statusCode").GetInt32());
        var spans = await SpansOfAsync(app, trace, count: 2);
        var invocation = Assert.Single(spans, span => span.Source.Name == LambdaTelemetry.SourceName);
        Assert.Equal(trace.ParentSpanId, invocation.ParentSpanId.ToHexString());
        Assert.Equal(ActivityKind.Server, invocation.Kind);
        Assert.Equal(outcome.RequestId, invocation.GetTagItem("faas.invocation_id"));
        Assert.Equal("http", invocation.GetTagItem("faas.trigger"));
        Assert.Equal(api.Options.InvokedFunctionArn, invocation.GetTagItem("cloud.resource_id"));
        Assert.IsType<bool>(invocation.GetTagItem("faas.coldstart"));

        var request = Assert.Single(spans, span => span.Source.Name == "Microsoft.AspNetCore");
        Assert.Equal(invocation.SpanId, request.ParentSpanId);
        Assert.Equal("/items/{id}", request.GetTagItem("http.route"));
        Assert.Equal(404, request.GetTagItem("http.response.status_code"));
        Assert.Equal("GET /items/{id}", request.DisplayName);
        Assert.Equal("GET", request.GetTagItem("http.request.method"));
        Assert.Equal("/items/0123456789abcdef0123456789abcdef", request.GetTagItem("url.path"));
        // A 4xx is the client's error, not the server span's.
        Assert.Equal(ActivityStatusCode.Unset, request.Status);
        Assert.Null(request.GetTagItem("error.type"));
    }

    [Fact]
    public async Task A_traceparent_in_the_event_does_not_take_the_request_span_away_from_the_invocation()
    {
        await using var api = await LambdaRuntimeApiServer.StartAsync();
        await using var app = new ObservedApp(api.RuntimeApiAddress).Start();
        var trace = XRayTrace.New();
        var other = XRayTrace.New();

        var outcome = await api.InvokeAsync(
            new InvocationRequest(HttpEvents.Get("/health", ("traceparent", $"00-{other.TraceId}-{other.ParentSpanId}-01"))) { TraceId = trace.Header }, Timeout());

        outcome.EnsureSucceeded();
        var spans = await SpansOfAsync(app, trace, count: 2);
        var invocation = Assert.Single(spans, span => span.Source.Name == LambdaTelemetry.SourceName);
        Assert.Equal(invocation.SpanId, Assert.Single(spans, span => span.Source.Name == "Microsoft.AspNetCore").ParentSpanId);
    }

    [Fact]
    public async Task A_direct_invocation_is_an_invocation_span_triggered_by_other()
    {
        await using var api = await LambdaRuntimeApiServer.StartAsync();
        await using var app = new ObservedApp(api.RuntimeApiAddress).Start();
        var trace = XRayTrace.New();

        var outcome = await api.InvokeAsync(new InvocationRequest("""{"Number1":10,"Number2":20}""") { TraceId = trace.Header }, Timeout());

        outcome.EnsureSucceeded();
        var invocation = Assert.Single(await SpansOfAsync(app, trace, count: 1));
        Assert.Equal("other", invocation.GetTagItem("faas.trigger"));
        Assert.Equal(ActivityStatusCode.Unset, invocation.Status);
    }

    [Fact]
    public async Task A_dynamodb_outage_is_an_error_span_under_the_request_with_the_sdk_retries_counted()
    {
        await using var api = await LambdaRuntimeApiServer.StartAsync();
        await using var app = new ObservedApp(api.RuntimeApiAddress, new Dictionary<string, string?>
        {
            // Nothing listens on the discard port: every attempt is refused, as when DynamoDB's endpoint is unreachable.
            ["Items:Store"] = "DynamoDB",
            ["Items:TableName"] = "items",
            ["Items:TimeoutSeconds"] = "5",
            ["AWS:ServiceURL"] = "http://127.0.0.1:9",
            ["AWS:Region"] = "us-east-1",
        }).Start();
        var trace = XRayTrace.New();

        var outcome = await api.InvokeAsync(new InvocationRequest(HttpEvents.Get("/items/0123456789abcdef0123456789abcdef")) { TraceId = trace.Header }, Timeout());

        Assert.Equal(503, outcome.EnsureSucceeded().ResponseJson().GetProperty("statusCode").GetInt32());
        var spans = await SpansOfAsync(app, trace, count: 3, source: "CloudNativeApp.Items");
        var call = Assert.Single(spans, span => span.Source.Name == "CloudNativeApp.Items");
        var request = Assert.Single(spans, span => span.Source.Name == "Microsoft.AspNetCore");
        Assert.Equal(request.SpanId, call.ParentSpanId);
        Assert.Equal(ActivityStatusCode.Error, request.Status);
        Assert.Equal("503", request.GetTagItem("error.type"));
        Assert.Equal(ActivityKind.Client, call.Kind);
        Assert.Equal(ActivityStatusCode.Error, call.Status);
        Assert.Equal("GetItem", call.GetTagItem("db.operation.name"));
        Assert.Equal("aws.dynamodb", call.GetTagItem("db.system.name"));
        Assert.Equal(new[] { "items" }, call.GetTagItem("aws.dynamodb.table_names"));
        Assert.True((int)call.GetTagItem("aws.dynamodb.retries")! > 0);
        Assert.Equal("HttpRequestException", call.GetTagItem("error.type"));
        // The SDK's HTTP attempts (retries included) are counted on the store span, not spans of their own.
        Assert.DoesNotContain(app.Spans, span => span.TraceId.ToHexString() == trace.TraceId && span.Source.Name == "System.Net.Http");
    }

    private static CancellationToken Timeout() => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    /// <summary>The trace's spans once <paramref name="count"/> have ended (the invocation span ends after the response is posted).</summary>
    private static Task<List<Activity>> SpansOfAsync(ObservedApp app, XRayTrace trace, int count, string? source = null) =>
        Eventually.GetAsync(
            () => app.Spans.Where(span => span.TraceId.ToHexString() == trace.TraceId).ToList() is var spans
                && spans.Count >= count && (source is null || spans.Any(span => span.Source.Name == source)) ? spans : null,
            $"Fewer than {count} spans of the trace were exported.");
}

/// <summary>The process-wide listeners and propagator: these hosts do not run alongside each other.</summary>
[CollectionDefinition(nameof(TelemetryListeners))]
public sealed class TelemetryListeners;

/// <summary>A fresh X-Ray trace header and the W3C ids it stands for.</summary>
internal sealed record XRayTrace(string TraceId, string ParentSpanId)
{
    public string Header => $"Root=1-{TraceId[..8]}-{TraceId[8..]};Parent={ParentSpanId};Sampled=1";

    public static XRayTrace New() => new(ActivityTraceId.CreateRandom().ToHexString(), ActivitySpanId.CreateRandom().ToHexString());
}

/// <summary>API Gateway HTTP API (payload 2.0) events.</summary>
internal static class HttpEvents
{
    public static byte[] Get(string path, params (string Name, string Value)[] headers) => Create("GET", path, null, headers);

    public static byte[] Create(string method, string path, string? body, params (string Name, string Value)[] headers)
    {
        var headerObject = new Dictionary<string, string> { ["host"] = "api.example.com", ["accept"] = "application/json" };
        foreach (var (name, value) in headers)
        {
            headerObject[name] = value;
        }

        return JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["version"] = "2.0",
            ["routeKey"] = "$default",
            ["rawPath"] = path,
            ["rawQueryString"] = "",
            ["headers"] = headerObject,
            ["requestContext"] = new Dictionary<string, object>
            {
                ["accountId"] = "123456789012",
                ["apiId"] = "api",
                ["domainName"] = "api.example.com",
                ["requestId"] = Guid.NewGuid().ToString(),
                ["routeKey"] = "$default",
                ["stage"] = "$default",
                ["timeEpoch"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
                ["http"] = new Dictionary<string, string> { ["method"] = method, ["path"] = path, ["protocol"] = "HTTP/1.1", ["sourceIp"] = "192.0.2.1", ["userAgent"] = "tests" },
            },
            ["body"] = body ?? "",
            ["isBase64Encoded"] = false,
        });
    }
}
