namespace CloudNativeApp.Lambda.EndToEnd.Tests;

/// <summary>
/// Rate limiting as deployed (on outside Development) partitions by the user API Gateway's authorizer verified, so
/// one user's burst does not limit another; anonymous callers are limited by client IP. A tiny limit makes it visible;
/// every other e2e class stays far below the default 300 per minute per function process (at most a few dozen
/// requests per process), so none of them turns limiting off.
/// </summary>
[Collection(UsesPublishedApp.Name)]
public sealed class RateLimitingTests(PublishedApp app) : IAsyncLifetime
{
    private const int PermitsPerMinute = 3;

    private PublishedFunction function = null!;

    public async Task InitializeAsync()
    {
        var environment = AppEnvironment.InMemory();
        environment["RateLimiting__PermitsPerMinute"] = PermitsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture);
        function = await app.StartFunctionAsync(environment);
    }

    public async Task DisposeAsync() => await function.DisposeAsync();

    [Fact]
    public async Task A_user_over_the_limit_gets_429_with_Retry_After_while_other_callers_are_served()
    {
        var busy = new AuthorizerCaller(Guid.NewGuid().ToString(), "busy-user");
        var other = new AuthorizerCaller(Guid.NewGuid().ToString(), "other-user");
        var list = HttpEvent.Get(HttpEventSource.HttpApi, "/items");

        for (var i = 0; i < PermitsPerMinute; i++)
        {
            Assert.Equal(200, (await function.SendAsync(list with { Caller = busy })).StatusCode);
        }

        var limited = await function.SendAsync(list with { Caller = busy, Source = HttpEventSource.RestApi });

        Assert.Equal(429, limited.StatusCode);
        Assert.Equal("application/problem+json", limited.MediaType);
        Assert.True(int.TryParse(limited.Header("Retry-After"), out var retryAfter) && retryAfter is > 0 and <= 60, limited.ToString());
        Assert.Equal(200, (await function.SendAsync(list with { Caller = other })).StatusCode);
        Assert.Equal(200, (await function.SendAsync(list.Anonymous())).StatusCode);
    }
}
