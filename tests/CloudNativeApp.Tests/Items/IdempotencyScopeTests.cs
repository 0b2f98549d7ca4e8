using CloudNativeApp.Items.Idempotency;
using CloudNativeApp.Security;

namespace CloudNativeApp.Tests.Items;

/// <summary>Whose an <c>Idempotency-Key</c> is: each caller's keys are its own, however its identity is spelled.</summary>
public sealed class IdempotencyScopeTests
{
    private static async Task<string> CreateAsync(HttpClient client, string header, string caller, string key)
    {
        using var request = GatewayIdentity.As(new HttpRequestMessage(HttpMethod.Post, "/items") { Content = JsonContent.Create(new { name = "same body" }) }, header, caller);
        request.Headers.Add("Idempotency-Key", key);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return response.Headers.Location!.ToString();
    }

    [Fact]
    public async Task A_subject_containing_a_colon_cannot_replay_another_callers_key()
    {
        await using var app = GatewayIdentity.App();
        var client = app.CreateClient();

        var first = await CreateAsync(client, GatewayIdentity.SubjectHeader, "a", "b:c");
        var other = await CreateAsync(client, GatewayIdentity.SubjectHeader, "a:b", "c");
        var retry = await CreateAsync(client, GatewayIdentity.SubjectHeader, "a", "b:c");

        Assert.NotEqual(first, other);
        Assert.Equal(first, retry);
    }

    [Fact]
    public async Task Callers_without_a_subject_are_scoped_by_the_principal_the_gateway_names()
    {
        await using var app = GatewayIdentity.App();
        var client = app.CreateClient();

        var alice = await CreateAsync(client, GatewayIdentity.IamUserArnHeader, "arn:aws:iam::123456789012:user/alice", "key-1");
        var bob = await CreateAsync(client, GatewayIdentity.IamUserArnHeader, "arn:aws:iam::123456789012:user/bob", "key-1");
        var aliceAgain = await CreateAsync(client, GatewayIdentity.IamUserArnHeader, "arn:aws:iam::123456789012:user/alice", "key-1");
        var authorized = await CreateAsync(client, GatewayIdentity.PrincipalIdHeader, "tenant-7", "key-1");
        var authorizedAgain = await CreateAsync(client, GatewayIdentity.PrincipalIdHeader, "tenant-7", "key-1");

        Assert.Equal(3, new[] { alice, bob, authorized }.Distinct().Count());
        Assert.Equal(alice, aliceAgain);
        Assert.Equal(authorized, authorizedAgain);
    }

    [Fact]
    public void Scoped_keys_are_distinct_for_distinct_callers_kinds_and_keys()
    {
        var keys = new[]
        {
            IdempotentCreation.ScopedKey(new CallerIdentity("sub", "a:b"), "c"),
            IdempotentCreation.ScopedKey(new CallerIdentity("sub", "a"), "b:c"),
            IdempotentCreation.ScopedKey(new CallerIdentity("sub", "a"), "bc"),
            IdempotentCreation.ScopedKey(new CallerIdentity("IAM", "a"), "bc"),
            IdempotentCreation.ScopedKey(new CallerIdentity("s", "ub1:a"), "bc"),
            IdempotentCreation.ScopedKey(null, "bc"),
        };

        Assert.Equal(keys.Length, keys.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(keys[0], IdempotentCreation.ScopedKey(new CallerIdentity("sub", "a:b"), "c"));
        Assert.All(keys, key => Assert.Equal(3 + 64, key.Length));
    }
}
