namespace CloudNativeApp.Lambda.EndToEnd.Tests;

/// <summary>
/// The production auth path (Auth:Mode ApiGateway, the default outside Development): the function trusts the user API
/// Gateway's authorizer verified, reads stay anonymous, writes need a user.
/// </summary>
[Collection(UsesPublishedApp.Name)]
public sealed class ApiGatewayAuthTests(PublishedApp app, FunctionFixture fixture) : IClassFixture<FunctionFixture>, IAsyncLifetime
{
    private PublishedFunction function = null!;

    public static TheoryData<HttpEventSource> Sources => new(ApiGatewayFrontDoor.Sources);

    public async Task InitializeAsync() => function = await fixture.StartOnceAsync(_ => app.StartFunctionAsync(AppEnvironment.InMemory()));

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task A_write_without_authorizer_claims_is_a_401_problem_with_a_bearer_challenge(HttpEventSource source)
    {
        var response = await function.SendAsync(NewItem(source).Anonymous());

        Assert.Equal(401, response.StatusCode);
        Assert.Equal("application/problem+json", response.MediaType);
        Assert.Equal(401, response.BodyJson().GetProperty("status").GetInt32());
        Assert.StartsWith("Bearer", response.Header("WWW-Authenticate"), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task A_write_with_authorizer_claims_is_created_by_the_callers_sub(HttpEventSource source)
    {
        var caller = new AuthorizerCaller(Guid.NewGuid().ToString(), $"user-{source}");

        var created = await function.SendAsync(NewItem(source) with { Caller = caller });

        Assert.Equal(201, created.StatusCode);
        Assert.Equal(caller.Subject, created.BodyJson().GetProperty("createdBy").GetString());
        var read = await function.SendAsync(HttpEvent.Get(source, created.Header("Location")!).Anonymous());
        Assert.Equal(caller.Subject, read.BodyJson().GetProperty("createdBy").GetString());
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task Reads_need_no_claims(HttpEventSource source)
    {
        var response = await function.SendAsync(HttpEvent.Get(source, "/items").Anonymous());

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("application/json", response.MediaType);
        Assert.Equal(System.Text.Json.JsonValueKind.Array, response.BodyJson().GetProperty("items").ValueKind);
    }

    [Theory]
    [InlineData(HttpEventSource.Alb)]
    [InlineData(HttpEventSource.AlbMultiValue)]
    public async Task An_ALB_write_is_refused_because_no_authorizer_vouches_for_it(HttpEventSource source)
    {
        // Why ALB deployments need Auth:Mode Jwt or None (see AlbFrontDoor): in this mode an ALB write is always anonymous.
        var response = await function.SendAsync(NewItem(source));

        Assert.Equal(401, response.StatusCode);
        Assert.Equal("application/problem+json", response.MediaType);
    }

    private static HttpEvent NewItem(HttpEventSource source) =>
        HttpEvent.PostJson(source, "/items", $$"""{"name":"auth {{Guid.NewGuid():N}}","category":"auth"}""");
}
