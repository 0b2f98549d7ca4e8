namespace CloudNativeApp.Lambda.EndToEnd.Tests;

/// <summary>
/// One function process through everything that can go wrong in an invocation, one after another: an exception in
/// the app, an event that is not JSON, a deadline that passes while DynamoDB hangs, and DynamoDB going away. Each is
/// answered clearly and followed by an invocation that succeeds; the process never restarts.
/// </summary>
[Collection(UsesPublishedApp.Name)]
public sealed class InvocationResilienceTests(PublishedApp app, ITestOutputHelper output) : IAsyncLifetime
{
    // Longer than any deadline below, so a request that ends early did so because its deadline fired, not the store timeout.
    private const int StoreTimeoutSeconds = 30;
    private static readonly TimeSpan ShortDeadline = TimeSpan.FromSeconds(2);

    private readonly string dataPath = Path.Combine(Path.GetTempPath(), $"e2e-dynalite-{Guid.NewGuid():N}");
    private DynaliteServer dynalite = null!;
    private string tableName = null!;
    private PublishedFunction function = null!;
    private int invocations;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(dataPath);
        dynalite = await DynaliteServer.StartNewAsync(dataPath);
        var environment = AppEnvironment.DynamoDb(dynalite);
        tableName = environment["Items__TableName"]!;
        // ASP.NET Core's "Request finished ... in N ms" line: when the app itself was done with a request.
        environment["Logging__LogLevel__Microsoft.AspNetCore.Hosting.Diagnostics"] = "Information";
        environment["Items__TimeoutSeconds"] = StoreTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);

        // Lambda itself accepts nothing after the deadline (it has already answered the caller with a timeout); the
        // grace period lets the test see what the function does once its deadline fires.
        function = await app.StartFunctionAsync(environment, new LambdaRuntimeApiOptions
        {
            FunctionName = "CloudNativeApp",
            DeadlineGracePeriod = TimeSpan.FromSeconds(StoreTimeoutSeconds + 15),
        });
    }

    public async Task DisposeAsync()
    {
        await function.DisposeAsync();
        await dynalite.DisposeAsync();
        try
        {
            Directory.Delete(dataPath, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is not worth failing the run for.
        }
    }

    [Fact]
    public async Task The_loop_answers_every_failure_clearly_and_serves_the_next_invocation_in_the_same_process()
    {
        var processId = function.Process.ProcessId;
        var created = await SendAsync(NewItem());
        Assert.Equal(201, created.StatusCode);
        var location = created.Header("Location")!;

        // 1. An exception in the app (an item it cannot read): a 500 problem, nothing of the exception leaks.
        await UnreadableItem.PutAsync(dynalite, tableName);
        var faulted = await SendAsync(HttpEvent.Get(HttpEventSource.HttpApi, UnreadableItem.Location));
        Assert.Equal(500, faulted.StatusCode);
        Assert.Equal("application/problem+json", faulted.MediaType);
        Assert.DoesNotContain("Exception", faulted.Body, StringComparison.Ordinal);
        await AssertServesAsync(location);

        // 2. An event that is not JSON: a Runtime.InvalidEvent function error.
        var unparseable = await InvokeAsync(new InvocationRequest("{\"httpMethod\": \"GET\", \"path\": "));
        Assert.Equal(InvocationStatus.FunctionError, unparseable.Status);
        Assert.True(unparseable.Error!.IsWellFormed, unparseable.Error.BodyText);
        Assert.Equal("Runtime.InvalidEvent", unparseable.Error.ErrorType);
        await AssertServesAsync(location);

        // 3. The deadline passes while the app waits on a DynamoDB that accepts connections but never answers.
        var linesBefore = function.Process.OutputLines.Count;
        var overrun = await OverrunDeadlineAsync();
        AssertClearFailure(overrun, acceptedStatusCodes: [503, 504]);
        Assert.True(overrun.Duration < TimeSpan.FromSeconds(StoreTimeoutSeconds), $"The invocation ended after {overrun.Duration}.");
        var appTime = await AppRequestDurationAsync(linesBefore);
        Assert.True(appTime < TimeSpan.FromSeconds(StoreTimeoutSeconds), $"The app finished the request after {appTime}: RequestAborted did not stop the store call.");
        output.WriteLine($"Deadline {ShortDeadline.TotalSeconds} s overrun: {Describe(overrun)} after {overrun.Duration.TotalMilliseconds:0} ms; the app was done after {appTime.TotalMilliseconds:0} ms.");
        await AssertServesAsync(location);

        // 4. DynamoDB is down (connection refused): a 503 problem with Retry-After, at once rather than at the deadline.
        await dynalite.StopAsync();
        var outageTimer = Stopwatch.StartNew();
        var outage = await SendAsync(NewItem());
        output.WriteLine($"DynamoDB down: {outage.StatusCode} after {outageTimer.ElapsedMilliseconds} ms (round trip through the emulator).");
        Assert.Equal(503, outage.StatusCode);
        Assert.Equal("application/problem+json", outage.MediaType);
        Assert.True(int.TryParse(outage.Header("Retry-After"), out var retryAfter) && retryAfter > 0, outage.ToString());
        await dynalite.StartAsync();
        await AssertServesAsync(location);
        Assert.Equal(201, (await SendAsync(NewItem())).StatusCode);

        Assert.Equal(processId, function.Process.ProcessId);
        Assert.False(function.Process.Exited.IsCompleted, function.Process.Output);
        Assert.Equal(invocations, function.Api.InvocationsServed);
        Assert.Equal(invocations, function.Api.InvocationsCompleted);
    }

    private async Task<InvocationOutcome> OverrunDeadlineAsync()
    {
        var request = NewItem();
        Signals.Freeze(dynalite.ProcessId);
        try
        {
            return await InvokeAsync(new InvocationRequest(request.ToJson()) { Timeout = ShortDeadline });
        }
        finally
        {
            Signals.Thaw(dynalite.ProcessId);
        }
    }

    /// <summary>
    /// How long the app took over the first request it finished after output line <paramref name="skipLines"/>, from
    /// ASP.NET Core's own "Request finished" log line; waits until the store timeout would have ended it anyway.
    /// </summary>
    private async Task<TimeSpan> AppRequestDurationAsync(int skipLines)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var finished = function.Process.OutputLines.Skip(skipLines)
                .Select(line => System.Text.RegularExpressions.Regex.Match(line, @"Request finished .* (\d+(?:\.\d+)?)ms\b"))
                .FirstOrDefault(match => match.Success);
            if (finished is not null)
            {
                return TimeSpan.FromMilliseconds(double.Parse(finished.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
            }

            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(StoreTimeoutSeconds + 5), $"The app never finished the request:\n{function.Process.Output}");
            await Task.Delay(100);
        }
    }

    private static string Describe(InvocationOutcome outcome) =>
        outcome.Succeeded ? $"status {outcome.ResponseJson().GetProperty("statusCode").GetInt32()}" : $"{outcome.Status} {outcome.Error?.ErrorType}";

    private static void AssertClearFailure(InvocationOutcome outcome, int[] acceptedStatusCodes)
    {
        if (outcome.Status == InvocationStatus.FunctionError)
        {
            Assert.True(outcome.Error!.IsWellFormed, outcome.Error.BodyText);
            Assert.Equal(outcome.Error.ErrorType, outcome.Error.ErrorTypeHeader);
            Assert.False(string.IsNullOrWhiteSpace(outcome.Error.ErrorMessage));
            return;
        }

        Assert.True(outcome.Succeeded, outcome.ToString());
        var response = LambdaHttpResponse.Parse(outcome.ResponseJson(), HttpEventSource.HttpApi);
        Assert.Contains(response.StatusCode, acceptedStatusCodes);
        Assert.Equal("application/problem+json", response.MediaType);
    }

    private async Task AssertServesAsync(string location)
    {
        var read = await SendAsync(HttpEvent.Get(HttpEventSource.HttpApi, location));
        Assert.Equal(200, read.StatusCode);
    }

    private async Task<LambdaHttpResponse> SendAsync(HttpEvent httpEvent)
    {
        invocations++;
        return await function.SendAsync(httpEvent);
    }

    private async Task<InvocationOutcome> InvokeAsync(InvocationRequest request)
    {
        invocations++;
        return await function.InvokeAsync(request);
    }

    private static HttpEvent NewItem() =>
        HttpEvent.PostJson(HttpEventSource.HttpApi, "/items", $$"""{"name":"resilience {{Guid.NewGuid():N}}","category":"resilience"}""");
}
