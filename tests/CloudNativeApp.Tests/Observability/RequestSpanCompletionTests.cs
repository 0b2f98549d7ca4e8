using System.Diagnostics;
using CloudNativeApp.Observability;

namespace CloudNativeApp.Tests.Observability;

/// <summary>
/// The request span's status from the end of the request, as OpenTelemetry's HTTP server conventions set it: an error
/// for a 5xx or an exception behind a non-error status, Unset for a 4xx (the client's error), also when a handled
/// exception produced it. Given the tags ASP.NET Core records on http.server.request.duration.
/// </summary>
[Collection(nameof(TelemetryListeners))]
public sealed class RequestSpanCompletionTests
{
    [Theory]
    [InlineData(200, null, ActivityStatusCode.Unset, null)]
    [InlineData(404, null, ActivityStatusCode.Unset, null)]
    [InlineData(400, "Microsoft.AspNetCore.Http.BadHttpRequestException", ActivityStatusCode.Unset, "Microsoft.AspNetCore.Http.BadHttpRequestException")]
    [InlineData(503, null, ActivityStatusCode.Error, "503")]
    [InlineData(500, "System.InvalidOperationException", ActivityStatusCode.Error, "System.InvalidOperationException")]
    [InlineData(200, "System.IO.IOException", ActivityStatusCode.Error, "System.IO.IOException")]
    public void The_status_follows_the_http_server_conventions(int status, string? errorType, ActivityStatusCode expected, string? expectedErrorType)
    {
        using var source = new ActivitySource("Microsoft.AspNetCore");
        using var listener = new ActivityListener
        {
            ShouldListenTo = candidate => ReferenceEquals(candidate, source),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        using var span = source.StartActivity("Microsoft.AspNetCore.Hosting.HttpRequestIn", ActivityKind.Server)!;
        KeyValuePair<string, object?>[] tags =
        [
            new("http.request.method", "POST"),
            new("http.route", "/items"),
            new("http.response.status_code", status),
            .. errorType is null ? Array.Empty<KeyValuePair<string, object?>>() : [new("error.type", errorType)],
        ];

        RequestSpanCompletion.Complete(tags);

        Assert.Equal(expected, span.Status);
        Assert.Equal(expectedErrorType, span.GetTagItem("error.type"));
        Assert.Equal(status, span.GetTagItem("http.response.status_code"));
        Assert.Equal("POST /items", span.DisplayName);
    }
}
