using System.Diagnostics;
using CloudNativeApp.LambdaHosting;
using CloudNativeApp.Observability;

namespace CloudNativeApp.Tests.Observability;

public sealed class TraceHeaderPropagatorTests
{
    private static readonly TraceHeaderPropagator Propagator = new();

    [Fact]
    public void An_xray_header_becomes_a_w3c_traceparent_with_the_same_ids()
    {
        Assert.Equal(
            "00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01",
            Extract(new() { ["X-Amzn-Trace-Id"] = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1" }));
        Assert.Equal(
            "00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-00",
            Extract(new() { ["X-Amzn-Trace-Id"] = "Sampled=0;Parent=53995c3f42cd8ad8;Root=1-5759e988-bd862e3fe1be46a994272793;Lineage=a:1" }));
    }

    [Fact]
    public void A_traceparent_is_taken_before_an_xray_header()
    {
        Assert.Equal(
            "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
            Extract(new()
            {
                ["traceparent"] = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                ["X-Amzn-Trace-Id"] = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1",
            }));
    }

    [Theory]
    [InlineData("Root=1-5759e988-bd862e3fe1be46a994272793")] // no parent: X-Ray's own root segment, nothing to continue
    [InlineData("Root=1-5759e988-BD862E3FE1BE46A994272793;Parent=53995c3f42cd8ad8")]
    [InlineData("Root=2-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8")]
    [InlineData("Root=1-00000000-000000000000000000000000;Parent=53995c3f42cd8ad8")]
    [InlineData("garbage")]
    [InlineData("")]
    public void Anything_else_gives_no_parent(string header)
    {
        Assert.Null(Extract(new() { ["X-Amzn-Trace-Id"] = header }));
    }

    [Fact]
    public void Inside_a_lambda_invocation_the_headers_are_ignored()
    {
        using var invocation = new Activity(LambdaTelemetry.InvocationActivityName).Start();

        Assert.Null(Extract(new() { ["traceparent"] = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" }));
    }

    [Fact]
    public void Outgoing_requests_get_a_traceparent()
    {
        using var activity = new Activity("outgoing").SetIdFormat(ActivityIdFormat.W3C).Start();
        var headers = new Dictionary<string, string?>();

        Propagator.Inject(activity, headers, static (carrier, name, value) => ((Dictionary<string, string?>)carrier!)[name] = value);

        Assert.Equal(activity.Id, headers["traceparent"]);
    }

    private static string? Extract(Dictionary<string, string> headers)
    {
        Propagator.ExtractTraceIdAndState(
            headers,
            static (object? carrier, string name, out string? value, out IEnumerable<string>? values) =>
            {
                values = null;
                value = ((Dictionary<string, string>)carrier!).TryGetValue(name, out var found) ? found : null;
            },
            out var traceId,
            out _);
        return traceId;
    }
}
