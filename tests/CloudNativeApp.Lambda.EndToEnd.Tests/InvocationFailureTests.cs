namespace CloudNativeApp.Lambda.EndToEnd.Tests;

/// <summary>What goes wrong inside one invocation stays inside it: the function answers and takes the next one.</summary>
[Collection(UsesPublishedApp.Name)]
public sealed class InvocationFailureTests(PublishedApp app, FunctionFixture fixture) : IClassFixture<FunctionFixture>, IAsyncLifetime
{
    private const string TableName = "e2e-invocation-failures"; // each class fixture has a dynalite of its own

    private PublishedFunction function = null!;

    public async Task InitializeAsync() => function = await fixture.StartOnceAsync(async owner =>
    {
        var dynalite = await DynaliteServer.StartNewAsync();
        owner.Own(dynalite);
        var environment = AppEnvironment.DynamoDb(dynalite, TableName);
        environment["AWS_LAMBDA_LOG_FORMAT"] = "JSON";
        var started = await app.StartFunctionAsync(environment);
        await started.SendAsync(HttpEvent.Get(HttpEventSource.HttpApi, "/items")); // the app has created its table
        await UnreadableItem.PutAsync(dynalite, TableName);
        return started;
    });

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData(HttpEventSource.RestApi)]
    [InlineData(HttpEventSource.HttpApi)]
    [InlineData(HttpEventSource.Alb)]
    public async Task An_exception_in_the_app_is_a_500_problem_and_the_function_serves_the_next_invocation(HttpEventSource source)
    {
        var outcome = await function.InvokeAsync(HttpEvent.Get(source, UnreadableItem.Location).ToJson());

        Assert.True(outcome.Succeeded, outcome.ToString());
        var response = LambdaHttpResponse.Parse(outcome.ResponseJson(), source);
        Assert.Equal(500, response.StatusCode);
        Assert.Equal("application/problem+json", response.MediaType);
        Assert.Equal(500, response.BodyJson().GetProperty("status").GetInt32());
        Assert.DoesNotContain("not a", response.Body, StringComparison.Ordinal); // nothing of the stored data or the exception
        Assert.DoesNotContain("Exception", response.Body, StringComparison.Ordinal);

        var next = await function.SendAsync(HttpEvent.Get(source, "/calculator/add/1/2"));
        Assert.Equal("3", next.Body);
    }

    /// <summary>
    /// The Native AOT binary has no file names or line numbers in its stack traces; the log still says what was
    /// thrown, with which message, in which invocation and through which methods.
    /// </summary>
    [Fact]
    public async Task The_exception_is_logged_as_JSON_with_the_invocations_request_id_type_message_and_frames()
    {
        var outcome = await function.InvokeAsync(HttpEvent.Get(HttpEventSource.HttpApi, UnreadableItem.Location).ToJson());
        await function.SendAsync(HttpEvent.Get(HttpEventSource.HttpApi, "/calculator/add/1/2"));

        var entry = Assert.Single(
            function.Process.OutputLines.Where(line => line.StartsWith('{')).Select(line => JsonDocument.Parse(line).RootElement),
            element => element.TryGetProperty("requestId", out var id) && id.GetString() == outcome.RequestId && element.TryGetProperty("exception", out _));
        Assert.Equal("ERROR", entry.GetProperty("level").GetString()?.ToUpperInvariant());
        var exception = entry.GetProperty("exception").GetString()!;
        Assert.Matches(@"^[\w.]+Exception: \S", exception); // type and message
        Assert.Matches(@"\n\s+at CloudNativeApp\.Items\.Storage\.DynamoDbItemRepository\b", exception); // the app's own frames
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
