namespace CloudNativeApp.Lambda.EndToEnd.Tests;

/// <summary>
/// With <c>Auth:OwnerWrites=true</c>, only the user the gateway's authorizer names as an item's creator may delete it:
/// another signed-in user gets 403, the creator 204.
/// </summary>
[Collection(UsesPublishedApp.Name)]
public sealed class OwnerWritesTests(PublishedApp app) : IAsyncLifetime
{
    private PublishedFunction function = null!;

    public async Task InitializeAsync()
    {
        var environment = AppEnvironment.InMemory();
        environment["Auth__OwnerWrites"] = "true";
        function = await app.StartFunctionAsync(environment);
    }

    public async Task DisposeAsync() => await function.DisposeAsync();

    [Fact]
    public async Task Only_the_creator_may_delete_an_item()
    {
        var owner = AuthorizerCaller.Default;
        var other = new AuthorizerCaller("0b7c1d2e-3f4a-4b5c-8d6e-7f8091a2b3c4", "someone-else");
        var created = await function.SendAsync(HttpEvent.PostJson(HttpEventSource.HttpApi, "/items", """{"name":"mine","category":"auth"}""") with { Caller = owner });
        Assert.Equal(201, created.StatusCode);
        var delete = new HttpEvent(HttpEventSource.HttpApi, "DELETE", created.Header("Location")!);

        var refused = await function.SendAsync(delete with { Caller = other });
        var deleted = await function.SendAsync(delete with { Caller = owner });

        Assert.Equal(403, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.MediaType);
        Assert.Equal(204, deleted.StatusCode);
    }
}
