namespace CloudNativeApp.LambdaHosting.Tests.Runtime;

/// <summary>
/// Lambda refuses a buffered response over 6 MB with a 413, after which it refuses /error too, and the caller gets a
/// generic failure: the server must never post one. Against the real limit (the test Runtime API's default).
/// </summary>
[Collection(nameof(LambdaServerTests))]
public sealed class BufferedResponseLimitTests
{
    private const int Limit = 6_291_456;

    [Theory]
    [InlineData("raw", 7 * 1024 * 1024)] // larger than the limit before any encoding
    [InlineData("escaped", 4 * 1024 * 1024)] // quotes: "\"" in JSON, twice the size
    [InlineData("base64", 5 * 1024 * 1024)] // binary: a third larger as base64
    public async Task A_response_too_large_for_lambda_becomes_a_problem_that_names_the_limit_and_streaming(string kind, int size)
    {
        await using var function = await LambdaFunction.StartAsync(app => app.MapGet("/my/path", () => kind switch
        {
            "escaped" => Results.Text(new string('"', size), "text/plain"),
            "base64" => Results.Bytes(new byte[size], "application/octet-stream"),
            _ => Results.Text(new string('x', size), "text/plain"),
        }));

        var outcome = await function.InvokeAsync(TestEvents.HttpApiGet);
        var next = await function.InvokeAsync(TestEvents.HttpApiGet);

        Assert.Equal(InvocationStatus.Succeeded, outcome.Status);
        Assert.InRange(outcome.Response.Length, 1, Limit);
        var response = outcome.ResponseJson();
        Assert.Equal(500, response.GetProperty("statusCode").GetInt32());
        Assert.Equal("application/problem+json", response.GetProperty("headers").GetProperty("Content-Type").GetString());
        using var problem = JsonDocument.Parse(response.GetProperty("body").GetString()!);
        var detail = problem.RootElement.GetProperty("detail").GetString();
        Assert.Contains("6,291,456", detail, StringComparison.Ordinal);
        Assert.Contains("Lambda:ResponseStreaming", detail, StringComparison.Ordinal);
        Assert.Equal(500, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Contains(function.Logs.Entries, entry => entry.Level == LogLevel.Error && entry.Message.Contains("6291456", StringComparison.Ordinal));
        Assert.Equal(InvocationStatus.Succeeded, next.Status);
    }

    [Fact]
    public async Task A_response_just_under_the_limit_is_posted_as_it_is()
    {
        const int size = 6_000_000;
        await using var function = await LambdaFunction.StartAsync(app => app.MapGet("/my/path", () => Results.Text(new string('x', size), "text/plain")));

        var outcome = await function.InvokeAsync(TestEvents.HttpApiGet);

        Assert.Equal(200, outcome.ResponseJson().GetProperty("statusCode").GetInt32());
        Assert.Equal(size, outcome.ResponseJson().GetProperty("body").GetString()!.Length);
    }

    [Fact]
    public async Task A_direct_invocation_result_over_the_limit_is_reported_as_a_function_error_not_posted()
    {
        await using var function = await LambdaFunction.StartAsync(_ => { }, services => services.AddLambdaDirectInvocationHandler<OversizedHandler>());

        var outcome = await function.InvokeAsync("""{"any":"event"}"""u8.ToArray());

        // Posted, it would have been a 413 (ResponseTooLarge, synthesised by the Runtime API) and a refused /error.
        Assert.Equal(InvocationStatus.FunctionError, outcome.Status);
        Assert.Equal(LambdaErrorTypes.ResponseTooLarge, outcome.Error!.ErrorTypeHeader);
        Assert.Contains("6291456", outcome.Error.ErrorMessage, StringComparison.Ordinal);
    }

    internal sealed class OversizedHandler : ILambdaDirectInvocationHandler
    {
        public ValueTask HandleAsync(ReadOnlyMemory<byte> payload, IBufferWriter<byte> response, ILambdaContext context, CancellationToken cancellationToken)
        {
            response.Write(new byte[Limit + 1]);
            return ValueTask.CompletedTask;
        }
    }
}
