using System.Text.Json;
using CloudNativeApp.LambdaRuntimeApi;

namespace CloudNativeApp.Lambda.EndToEnd.Tests;

/// <summary>What goes wrong inside one invocation stays inside it: the function answers and takes the next one.</summary>
[Collection(UsesPublishedApp.Name)]
public sealed class InvocationFailureTests(PublishedApp app, FunctionFixture fixture) : IClassFixture<FunctionFixture>, IAsyncLifetime
{
    private PublishedFunction function = null!;

    public async Task InitializeAsync() => function = await fixture.StartOnceAsync(_ =>
    {
        var environment = AppEnvironment.InMemoryWithFaultInjection();
        environment["AWS_LAMBDA_LOG_FORMAT"] = "JSON";
        return app.StartFunctionAsync(environment);
    });

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData(HttpEventSource.RestApi)]
    [InlineData(HttpEventSource.HttpApi)]
    [InlineData(HttpEventSource.Alb)]
    public async Task An_exception_in_the_app_is_a_500_problem_and_the_function_serves_the_next_invocation(HttpEventSource source)
    {
        var failing = HttpEvent.Get(source, "/calculator/add/1/2") with { Headers = new Dictionary<string, string> { [StartupHook.FaultHeader] = "throw" } };

        var outcome = await function.InvokeAsync(failing.ToJson());

        Assert.True(outcome.Succeeded, outcome.ToString());
        var response = LambdaHttpResponse.Parse(outcome.ResponseJson(), source);
        Assert.Equal(500, response.StatusCode);
        Assert.Equal("application/problem+json", response.MediaType);
        Assert.Equal(500, response.BodyJson().GetProperty("status").GetInt32());
        Assert.DoesNotContain(StartupHook.FaultMessage, response.Body, StringComparison.Ordinal);

        var next = await function.SendAsync(HttpEvent.Get(source, "/calculator/add/1/2"));
        Assert.Equal("3", next.Body);
    }

    [Fact]
    public async Task The_exception_is_logged_as_JSON_with_the_invocations_request_id()
    {
        var failing = HttpEvent.Get(HttpEventSource.HttpApi, "/calculator/add/1/2") with { Headers = new Dictionary<string, string> { [StartupHook.FaultHeader] = "throw" } };

        var outcome = await function.InvokeAsync(failing.ToJson());
        await function.SendAsync(HttpEvent.Get(HttpEventSource.HttpApi, "/calculator/add/1/2"));

        var logged = function.Process.OutputLines
            .Where(line => line.StartsWith('{') && line.Contains(StartupHook.FaultMessage, StringComparison.Ordinal))
            .Select(line => JsonDocument.Parse(line).RootElement)
            .ToList();
        var entry = Assert.Single(logged, element => element.TryGetProperty("requestId", out var id) && id.GetString() == outcome.RequestId);
        Assert.Equal("ERROR", entry.GetProperty("level").GetString()?.ToUpperInvariant());
    }

    [Theory]
    [InlineData("this is not JSON")]
    [InlineData("""{"httpMethod":"GET","requestContext":""")]
    [InlineData("")]
    public async Task An_unparseable_event_posts_an_error_and_the_function_serves_the_next_invocation(string eventText)
    {
        var outcome = await function.InvokeAsync(eventText);

        Assert.Equal(InvocationStatus.FunctionError, outcome.Status);
        var error = outcome.Error!;
        Assert.True(error.IsWellFormed, error.BodyText);
        Assert.Equal("Runtime.InvalidEvent", error.ErrorType);
        Assert.Equal(error.ErrorType, error.ErrorTypeHeader);
        Assert.False(string.IsNullOrWhiteSpace(error.ErrorMessage));

        var next = await function.SendAsync(HttpEvent.Get(HttpEventSource.HttpApi, "/calculator/add/1/2"));
        Assert.Equal("3", next.Body);
        Assert.False(function.Process.Exited.IsCompleted);
    }
}
