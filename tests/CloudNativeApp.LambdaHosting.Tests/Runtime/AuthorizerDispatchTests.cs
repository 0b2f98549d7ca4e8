namespace CloudNativeApp.LambdaHosting.Tests.Runtime;

/// <summary>Authorizer events through the Lambda server and a real Runtime API: to the authorizer handler, never to the app's pipeline.</summary>
public sealed class AuthorizerDispatchTests
{
    [Fact]
    public async Task Authorizer_events_go_to_the_authorizer_handler_and_other_events_keep_their_paths()
    {
        var pipelineRuns = 0;
        await using var function = await LambdaFunction.StartAsync(
            app => RunExtensions.Run(app, context => { pipelineRuns++; return context.Response.WriteAsync("served"); }),
            services => services.AddLambdaAuthorizerHandler<TokenNameAuthorizer>().AddLambdaDirectInvocationHandler<LambdaServerTests.EchoHandler>());

        var token = await function.InvokeAsync(TestEvents.Load(TestEvents.RestApiTokenAuthorizer));
        var request = await function.InvokeAsync(TestEvents.Load(TestEvents.RestApiRequestAuthorizer));
        var httpApi = await function.InvokeAsync(TestEvents.Load(TestEvents.HttpApiAuthorizer));
        var refused = await function.InvokeAsync(TestEvents.Edit(TestEvents.RestApiTokenAuthorizer, root => root["authorizationToken"] = "Bearer other"));
        var http = await function.InvokeAsync(TestEvents.Load(TestEvents.HttpApi));
        var direct = await function.InvokeAsync("""{"hello":"world"}"""u8.ToArray());

        Assert.Equal("Allow", token.EnsureSucceeded().ResponseJson().GetProperty("policyDocument").GetProperty("Statement")[0].GetProperty("Effect").GetString());
        Assert.Equal("allow-token", request.EnsureSucceeded().ResponseJson().GetProperty("principalId").GetString());
        Assert.True(httpApi.EnsureSucceeded().ResponseJson().GetProperty("isAuthorized").GetBoolean());
        Assert.Equal(InvocationStatus.FunctionError, refused.Status);
        Assert.Equal("Unauthorized", refused.Error!.ErrorMessage);
        Assert.Equal(200, http.EnsureSucceeded().ResponseJson().GetProperty("statusCode").GetInt32());
        Assert.Equal("world", direct.EnsureSucceeded().ResponseJson().GetProperty("echo").GetProperty("hello").GetString());
        Assert.Equal(1, pipelineRuns);
    }

    [Fact]
    public async Task An_authorizer_event_without_an_authorizer_handler_is_an_unsupported_event_naming_it()
    {
        await using var function = await LambdaFunction.StartAsync(_ => { }, services => services.AddLambdaDirectInvocationHandler<LambdaServerTests.EchoHandler>());

        var outcome = await function.InvokeAsync(TestEvents.Load(TestEvents.HttpApiAuthorizer));

        Assert.Equal(LambdaErrorTypes.UnsupportedEvent, outcome.Error!.ErrorType);
        Assert.Contains("authorizer event (HttpApiRequest)", outcome.Error.ErrorMessage, StringComparison.Ordinal);
    }

    /// <summary>Allows exactly the token "Bearer allow-token" (the example events' one), as principal "allow-token".</summary>
    private sealed class TokenNameAuthorizer : ILambdaAuthorizerHandler
    {
        public ValueTask<LambdaAuthorizerResult> AuthorizeAsync(LambdaAuthorizerRequest request, ILambdaContext context, CancellationToken cancellationToken) =>
            ValueTask.FromResult(request.AuthorizationToken == "Bearer allow-token"
                ? LambdaAuthorizerResult.Allow("allow-token", new Dictionary<string, string> { ["requestId"] = context.AwsRequestId })
                : LambdaAuthorizerResult.Unauthorized("unknown token"));
    }
}
