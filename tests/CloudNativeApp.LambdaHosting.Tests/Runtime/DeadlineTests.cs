namespace CloudNativeApp.LambdaHosting.Tests.Runtime;

/// <summary>
/// A request cut short by the invocation deadline (RequestAborted) is a 504 problem: not a 500 (nothing crashed) and
/// not ASP.NET Core's 499 (no client went away). A response the app chose itself is kept.
/// </summary>
[Collection(nameof(LambdaServerTests))]
public sealed class DeadlineTests
{
    // The emulator keeps accepting the response this long after the deadline, so the test sees what the function sends.
    private static readonly LambdaRuntimeApiOptions GracefulApi = new() { DeadlineGracePeriod = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task A_cancellation_escaping_the_app_at_the_deadline_is_a_504_problem()
    {
        await using var function = await LambdaFunction.StartAsync(
            app => app.MapGet("/my/path", async (HttpContext context) =>
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
                return Results.Ok();
            }),
            apiOptions: GracefulApi);

        var outcome = await function.InvokeAsync(TestEvents.HttpApiGet, timeout: TimeSpan.FromSeconds(1));

        AssertDeadlineProblem(outcome);
        Assert.Contains(function.Logs.Entries, entry => entry.Message.Contains("did not finish before the invocation deadline", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_exception_handlers_499_at_the_deadline_is_a_504_problem()
    {
        await using var function = await LambdaFunction.StartAsync(
            app =>
            {
                app.UseExceptionHandler();
                app.MapGet("/my/path", async (HttpContext context) =>
                {
                    await Task.Delay(Timeout.Infinite, context.RequestAborted);
                    return Results.Ok();
                });
            },
            services => services.AddProblemDetails(),
            GracefulApi);

        var outcome = await function.InvokeAsync(TestEvents.HttpApiGet, timeout: TimeSpan.FromSeconds(1));

        AssertDeadlineProblem(outcome);
    }

    [Fact]
    public async Task Before_the_deadline_a_cancellation_is_still_a_500()
    {
        await using var function = await LambdaFunction.StartAsync(
            app => app.MapGet("/my/path", string () => throw new OperationCanceledException("not the deadline")));

        var outcome = await function.InvokeAsync(TestEvents.HttpApiGet);

        Assert.Equal(500, outcome.EnsureSucceeded().ResponseJson().GetProperty("statusCode").GetInt32());
    }

    private static void AssertDeadlineProblem(InvocationOutcome outcome)
    {
        var response = outcome.EnsureSucceeded().ResponseJson();
        Assert.Equal(504, response.GetProperty("statusCode").GetInt32());
        var contentType = response.GetProperty("headers").EnumerateObject().Single(header => header.NameEquals("content-type") || header.Name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase));
        Assert.Equal("application/problem+json", contentType.Value.GetString());
        using var problem = JsonDocument.Parse(response.GetProperty("body").GetString()!);
        Assert.Equal(504, problem.RootElement.GetProperty("status").GetInt32());
    }
}
