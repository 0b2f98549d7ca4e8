namespace CloudNativeApp.LambdaHosting.Tests.Runtime;

// With InvocationTelemetryTests: their process-wide listener would turn these bare activities into spans.
[Collection(nameof(LambdaServerTests))]
public sealed class InvocationActivityTests
{
    [Fact]
    public void An_xray_header_becomes_the_parent_of_the_invocation_activity()
    {
        using var activity = InvocationActivity.Start("request-1", "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1");

        Assert.NotNull(activity);
        Assert.Same(activity, Activity.Current);
        Assert.Equal("5759e988bd862e3fe1be46a994272793", activity.TraceId.ToString());
        Assert.Equal("53995c3f42cd8ad8", activity.ParentSpanId.ToString());
        Assert.True(activity.Recorded);
        Assert.Equal("request-1", activity.GetTagItem("faas.invocation_id"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Root=1-5759e988-bd862e3fe1be46a994272793")]
    [InlineData("Parent=53995c3f42cd8ad8;Sampled=1")]
    [InlineData("Root=1-5759e988-BD862E3FE1BE46A994272793;Parent=53995c3f42cd8ad8")]
    [InlineData("Root=2-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8")]
    [InlineData("Root=1-00000000-000000000000000000000000;Parent=53995c3f42cd8ad8")]
    [InlineData("Root=1-5759e988-bd862e3fe1be46a99427279;Parent=53995c3f42cd8ad8")]
    [InlineData("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=zz995c3f42cd8ad8")]
    public void Anything_else_starts_no_activity(string? header)
    {
        Assert.Null(InvocationActivity.Start("request-1", header));
    }
}
