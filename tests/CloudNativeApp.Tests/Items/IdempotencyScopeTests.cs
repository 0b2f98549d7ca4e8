using CloudNativeApp.Items.Idempotency;
using CloudNativeApp.Security;

namespace CloudNativeApp.Tests.Items;

/// <summary>Whose an <c>Idempotency-Key</c> is: each caller's keys are its own, however its identity is spelled.</summary>
public sealed class IdempotencyScopeTests
{
    /// <summary>
    /// One creation (always the same body): who sends it, as the header the gateway names the caller in and its value,
    /// its <c>Idempotency-Key</c>, and the item it must get. Creations with the same letter get one item, replayed;
    /// each other letter, another item.
    /// </summary>
    private sealed record Creation(string Header, string Caller, string Key, char Item);

    private static readonly Dictionary<string, Creation[]> Scenarios = new()
    {
        ["A subject containing a colon cannot replay another caller's key"] =
        [
            new(GatewayIdentity.SubjectHeader, "a", "b:c", 'A'),
            new(GatewayIdentity.SubjectHeader, "a:b", "c", 'B'),
            new(GatewayIdentity.SubjectHeader, "a", "b:c", 'A'),
        ],
        ["Callers without a subject are scoped by the principal the gateway names"] =
        [
            new(GatewayIdentity.IamUserArnHeader, "arn:aws:iam::123456789012:user/alice", "key-1", 'A'),
            new(GatewayIdentity.IamUserArnHeader, "arn:aws:iam::123456789012:user/bob", "key-1", 'B'),
            new(GatewayIdentity.IamUserArnHeader, "arn:aws:iam::123456789012:user/alice", "key-1", 'A'),
            new(GatewayIdentity.PrincipalIdHeader, "tenant-7", "key-1", 'C'),
            new(GatewayIdentity.PrincipalIdHeader, "tenant-7", "key-1", 'C'),
        ],
    };

    public static TheoryData<string> ScenarioNames => [.. Scenarios.Keys];

    [Theory]
    [MemberData(nameof(ScenarioNames))]
    public async Task A_key_replays_the_item_only_for_the_caller_that_used_it(string scenario)
    {
        await using var app = GatewayIdentity.App();
        var client = app.CreateClient();
        var creations = Scenarios[scenario];

        var locations = new List<string>();
        foreach (var creation in creations)
        {
            locations.Add(await CreateAsync(client, creation));
        }

        // Each letter got one item, and each other letter another.
        var items = creations.Zip(locations).GroupBy(pair => pair.First.Item, pair => pair.Second).ToArray();
        Assert.All(items, item => Assert.Single(item.Distinct()));
        Assert.Equal(items.Length, locations.Distinct().Count());
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

    private static async Task<string> CreateAsync(HttpClient client, Creation creation)
    {
        using var request = GatewayIdentity.As(new HttpRequestMessage(HttpMethod.Post, "/items") { Content = JsonContent.Create(new { name = "same body" }) }, creation.Header, creation.Caller);
        request.Headers.Add("Idempotency-Key", creation.Key);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return response.Headers.Location!.ToString();
    }
}
