namespace CloudNativeApp.Tests.Items;

/// <summary><c>POST /items</c> with <c>Idempotency-Key</c>, against each store.</summary>
public abstract class IdempotencyContract(ItemsApp app)
{
    private readonly HttpClient _client = app.CreateClient();

    private async Task<HttpResponseMessage> PostAsync(string key, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/items") { Content = JsonContent.Create(body) };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        return await _client.SendAsync(request);
    }

    private async Task<int> CountNamedAsync(string name)
    {
        var pages = await _client.ListAllPagesAsync("limit=100");
        return pages.SelectMany(page => page).Count(item => item["name"]!.GetValue<string>() == name);
    }

    [Fact]
    public async Task A_retry_with_the_same_key_and_body_returns_the_original_201_and_creates_nothing()
    {
        var key = Guid.NewGuid().ToString();
        var name = $"once-{key}";
        using var first = await PostAsync(key, new { name, tags = new[] { "a" } });
        using var retry = await PostAsync(key, new { name, tags = new[] { "a" } });

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        Assert.Equal(first.Headers.ETag, retry.Headers.ETag);
        Assert.True(JsonNode.DeepEquals(await first.ReadJsonAsync(), await retry.ReadJsonAsync()));
        Assert.Equal(1, await CountNamedAsync(name));
    }

    [Fact]
    public async Task The_same_key_with_a_different_body_is_a_422_problem()
    {
        var key = Guid.NewGuid().ToString();
        using var first = await PostAsync(key, new { name = "first body" });
        using var reused = await PostAsync(key, new { name = "another body" });

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, reused.StatusCode);
        Assert.Equal("application/problem+json", reused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await CountNamedAsync("another body"));
    }

    [Fact]
    public async Task The_retry_gets_the_original_response_even_after_the_item_changed()
    {
        var key = Guid.NewGuid().ToString();
        using var first = await PostAsync(key, new { name = "original" });
        var id = (await first.ReadJsonAsync())["id"]!.GetValue<string>();
        using var put = await _client.PutAsync(id, """{"name":"changed"}""");
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        using var retry = await PostAsync(key, new { name = "original" });

        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal("original", (await retry.ReadJsonAsync())["name"]!.GetValue<string>());
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
    }

    [Fact]
    public async Task Concurrent_retries_of_one_request_create_exactly_one_item()
    {
        var key = Guid.NewGuid().ToString();
        var name = $"race-{key}";
        using var responses = await ConcurrentResponses.SendAsync(8, _ => PostAsync(key, new { name }));

        Assert.All(responses.All, response => Assert.Equal(HttpStatusCode.Created, response.StatusCode));
        Assert.Single(responses.All.Select(response => response.Headers.Location).Distinct());
        Assert.Equal(1, await CountNamedAsync(name));
    }

    [Fact]
    public async Task Keys_are_remembered_for_a_day()
    {
        var key = Guid.NewGuid().ToString();
        using var first = await PostAsync(key, new { name = "day one" });
        app.Clock.Advance(TimeSpan.FromHours(24) + TimeSpan.FromSeconds(1));

        using var afterADay = await PostAsync(key, new { name = "day two" });

        Assert.Equal(HttpStatusCode.Created, afterADay.StatusCode);
        Assert.NotEqual(first.Headers.Location, afterADay.Headers.Location);
    }

    public static TheoryData<string> InvalidKeys => ["has space", "ünïcode", new string('k', 256)];

    [Theory]
    [MemberData(nameof(InvalidKeys))]
    public async Task An_invalid_key_is_a_400_problem(string key)
    {
        using var response = await PostAsync(key, new { name = "x" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}

public sealed class InMemoryIdempotencyTests(InMemoryItemsApp fixture) : IdempotencyContract(fixture.App), IClassFixture<InMemoryItemsApp>;

public sealed class DynamoDbIdempotencyTests(DynamoDbItemsApp fixture) : IdempotencyContract(fixture.App), IClassFixture<DynamoDbItemsApp>;
