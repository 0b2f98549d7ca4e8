namespace CloudNativeApp.Lambda.EndToEnd.Tests;

/// <summary>
/// With <c>Auth:WriteScope</c> set, a write also needs that OAuth scope, which only an HTTP API JWT authorizer passes on
/// (<c>requestContext.authorizer.jwt.scopes</c>): a signed-in user without it gets 403, not 401.
/// </summary>
[Collection(UsesPublishedApp.Name)]
public sealed class WriteScopeTests(PublishedApp app) : IAsyncLifetime
{
    private const string WriteScope = "items/write";

    private PublishedFunction function = null!;

    public async Task InitializeAsync()
    {
        var environment = AppEnvironment.InMemory();
        environment["Auth__WriteScope"] = WriteScope;
        function = await app.StartFunctionAsync(environment);
    }

    public async Task DisposeAsync() => await function.DisposeAsync();

    [Fact]
    public async Task Only_a_token_with_the_write_scope_may_create_and_reads_still_need_none()
    {
        var reader = AuthorizerCaller.Default with { Scopes = ["openid", "items/read"] };
        var writer = AuthorizerCaller.Default with { Scopes = ["openid", WriteScope] };
        var create = HttpEvent.PostJson(HttpEventSource.HttpApi, "/items", """{"name":"scoped","category":"auth"}""");

        var refused = await function.SendAsync(create with { Caller = reader });
        var created = await function.SendAsync(create with { Caller = writer });

        Assert.Equal(403, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.MediaType);
        Assert.Equal($"Bearer error=\"insufficient_scope\", scope=\"{WriteScope}\"", refused.Header("WWW-Authenticate"));
        Assert.Equal(201, created.StatusCode);
        Assert.Equal(writer.Subject, created.BodyJson().GetProperty("createdBy").GetString());
        Assert.Equal(200, (await function.SendAsync(HttpEvent.Get(HttpEventSource.HttpApi, created.Header("Location")!) with { Caller = reader })).StatusCode);
    }
}
