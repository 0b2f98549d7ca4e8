namespace CloudNativeApp.Lambda.EndToEnd.Tests;

/// <summary>A function that cannot start says why on <c>/init/error</c> and exits, rather than taking invocations.</summary>
[Collection(UsesPublishedApp.Name)]
public sealed class InitErrorTests(PublishedApp app)
{
    [Fact]
    public async Task Production_without_a_table_name_posts_an_init_error_and_exits_non_zero()
    {
        // Production is the default environment; DynamoDB is then the default store and needs Items:TableName.
        await using var function = await app.StartFunctionAsync(AppEnvironment.Production());
        var waiting = function.Api.InvokeAsync("""{"Number1":1,"Number2":2}""");

        var initError = await function.Api.InitErrorAsync().WaitAsync(PublishedFunction.Patience);
        var exitCode = await function.Process.WaitForExitAsync(PublishedFunction.Patience);

        Assert.NotEqual(0, exitCode);
        Assert.True(initError.IsWellFormed, initError.BodyText);
        Assert.False(string.IsNullOrWhiteSpace(initError.ErrorTypeHeader));
        Assert.Equal(initError.ErrorType, initError.ErrorTypeHeader);
        Assert.Contains("Items:TableName", initError.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal("OptionsValidationException", initError.ErrorType);
        Assert.Contains(initError.StackTrace, frame => frame.StartsWith("at Microsoft.Extensions.Options.", StringComparison.Ordinal)); // method names, even without line numbers (Native AOT)
        Assert.Equal(0, function.Api.InvocationsServed);
        var outcome = await waiting.WaitAsync(PublishedFunction.Patience);
        Assert.Equal(CloudNativeApp.LambdaRuntimeApi.InvocationStatus.InitFailed, outcome.Status);
    }

    /// <summary>A malformed OTLP header list fails the start, not the first export after the first response.</summary>
    [Fact]
    public async Task A_malformed_otlp_setting_posts_an_init_error_naming_the_variable_without_its_value()
    {
        var environment = AppEnvironment.InMemory();
        environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:9";
        environment["OTEL_EXPORTER_OTLP_TRACES_HEADERS"] = "authorization: s3cr3t";
        await using var function = await app.StartFunctionAsync(environment);

        var initError = await function.Api.InitErrorAsync().WaitAsync(PublishedFunction.Patience);
        var exitCode = await function.Process.WaitForExitAsync(PublishedFunction.Patience);

        Assert.NotEqual(0, exitCode);
        Assert.True(initError.IsWellFormed, initError.BodyText);
        Assert.Contains("OTEL_EXPORTER_OTLP_TRACES_HEADERS", initError.ErrorMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", initError.BodyText, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", function.Process.Output, StringComparison.Ordinal);
        Assert.Equal(0, function.Api.InvocationsServed);
    }
}
