using System.Diagnostics;

namespace CloudNativeApp.Tests.Observability;

/// <summary>Outside Lambda the request span continues the caller's trace from its headers.</summary>
[Collection(nameof(TelemetryListeners))]
public sealed class KestrelTracingTests
{
    [Fact]
    public async Task An_xray_header_is_the_parent_of_the_request_span()
    {
        await using var app = new ObservedApp().Start();
        var trace = XRayTrace.New();
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/items/0123456789abcdef0123456789abcdef");
        request.Headers.Add("X-Amzn-Trace-Id", trace.Header);

        using var response = await client.SendAsync(request);

        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
        var span = await RequestSpanAsync(app, trace.TraceId);
        Assert.Equal(trace.ParentSpanId, span.ParentSpanId.ToHexString());
        Assert.True(span.Recorded);
        Assert.Equal("/items/{id}", span.GetTagItem("http.route"));
        Assert.Equal("GET /items/{id}", span.DisplayName);
        Assert.Equal(404, span.GetTagItem("http.response.status_code"));
    }

    [Fact]
    public async Task A_traceparent_wins_over_an_xray_header()
    {
        await using var app = new ObservedApp().Start();
        var w3c = XRayTrace.New();
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health");
        request.Headers.Add("traceparent", $"00-{w3c.TraceId}-{w3c.ParentSpanId}-01");
        request.Headers.Add("X-Amzn-Trace-Id", XRayTrace.New().Header);

        using var response = await client.SendAsync(request);

        response.EnsureSuccessStatusCode();
        Assert.Equal(w3c.ParentSpanId, (await RequestSpanAsync(app, w3c.TraceId)).ParentSpanId.ToHexString());
    }

    private static async Task<Activity> RequestSpanAsync(ObservedApp app, string traceId) => Assert.Single(await Eventually.GetAsync(
        () => app.Spans.Where(span => span.TraceId.ToHexString() == traceId && span.Source.Name == "Microsoft.AspNetCore").ToList() is { Count: > 0 } spans ? spans : null,
        "The request span was not exported."));
}
