namespace CloudNativeApp.Tests.Items;

/// <summary>HEAD, conditional GET and the create-only guard on PUT, and the errors of a merge patch a person can act on.</summary>
public sealed class ConditionalRequestTests(InMemoryItemsApp fixture) : IClassFixture<InMemoryItemsApp>
{
    private readonly HttpClient _client = fixture.App.CreateClient();

    [Theory]
    [InlineData("/items/{id}")]
    [InlineData("/items")]
    [InlineData("/items/export")]
    public async Task Head_answers_every_get_route_with_the_get_status_and_headers(string route)
    {
        var created = await _client.CreateItemAsync(new { name = "Lamp" });
        using var get = await _client.GetAsync(route.Replace("{id}", created.Id(), StringComparison.Ordinal));
        using var request = new HttpRequestMessage(HttpMethod.Head, route.Replace("{id}", created.Id(), StringComparison.Ordinal));

        using var head = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(get.Content.Headers.ContentType, head.Content.Headers.ContentType);
        Assert.Equal(get.Headers.ETag, head.Headers.ETag);
    }

    [Theory]
    [InlineData("\"{v}\"")]
    [InlineData("W/\"{v}\"")] // If-None-Match compares weakly
    [InlineData("\"99\", \"{v}\"")]
    [InlineData("*")]
    public async Task Get_with_the_current_etag_in_if_none_match_is_a_304_with_the_etag(string ifNoneMatch)
    {
        var created = await _client.CreateItemAsync(new { name = "Lamp" });
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/items/{created.Id()}");
        request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch.Replace("{v}", "0", StringComparison.Ordinal));

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.Equal("\"0\"", response.Headers.ETag?.Tag);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("\"7\"")]
    [InlineData("not an etag")] // malformed on a read: ignored, the full answer is always right
    public async Task Get_with_another_etag_in_if_none_match_is_the_item(string ifNoneMatch)
    {
        var created = await _client.CreateItemAsync(new { name = "Lamp" });
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/items/{created.Id()}");
        request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(created.Id(), (await response.ReadJsonAsync())["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Put_with_if_none_match_star_is_a_412_when_the_item_exists_and_a_404_when_it_does_not()
    {
        var created = await _client.CreateItemAsync(new { name = "Lamp" });

        using var existing = await SendPutAsync($"/items/{created.Id()}", "*");
        using var missing = await SendPutAsync("/items/0123456789abcdef0123456789abcdef", "*");
        using var item = await _client.GetAsync($"/items/{created.Id()}");

        await existing.AssertProblemAsync(HttpStatusCode.PreconditionFailed, "If-None-Match");
        await missing.AssertProblemAsync(HttpStatusCode.NotFound); // PUT never creates: ids are the server's
        Assert.Equal("Lamp", (await item.ReadJsonAsync())["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Put_with_if_none_match_of_another_version_replaces_and_a_malformed_one_is_a_400()
    {
        var created = await _client.CreateItemAsync(new { name = "Lamp" });

        using var other = await SendPutAsync($"/items/{created.Id()}", "\"5\"");
        using var malformed = await SendPutAsync($"/items/{created.Id()}", "five");

        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        await malformed.AssertProblemAsync(HttpStatusCode.BadRequest, "If-None-Match");
    }

    [Theory]
    [InlineData("""{"name":null}""")]
    [InlineData("""{"Name":null,"description":"x"}""")]
    public async Task A_merge_patch_that_nulls_the_name_says_the_name_cannot_be_null(string patch)
    {
        var created = await _client.CreateItemAsync(new { name = "Lamp" });

        using var response = await _client.PatchAsync(created.Id(), patch);

        var errors = await response.AssertValidationErrorAsync("name");
        Assert.Contains("cannot be null", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_utf8_is_a_400_that_says_so_for_json_and_merge_patch_bodies()
    {
        var created = await _client.CreateItemAsync(new { name = "Lamp" });
        byte[] body = [.. "{\"name\":\""u8, 0xFF, 0xFE, .. "\"}"u8];

        using var post = await SendBytesAsync(HttpMethod.Post, "/items", body, "application/json");
        using var patch = await SendBytesAsync(HttpMethod.Patch, $"/items/{created.Id()}", body, "application/merge-patch+json");
        using var item = await _client.GetAsync($"/items/{created.Id()}");

        await post.AssertProblemAsync(HttpStatusCode.BadRequest, "not valid UTF-8");
        await patch.AssertProblemAsync(HttpStatusCode.BadRequest, "not valid UTF-8");
        Assert.Equal("Lamp", (await item.ReadJsonAsync())["name"]!.GetValue<string>()); // no replacement characters stored
    }

    private async Task<HttpResponseMessage> SendPutAsync(string uri, string ifNoneMatch)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, uri) { Content = new StringContent("""{"name":"Replaced"}""", Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        return await _client.SendAsync(request);
    }

    private async Task<HttpResponseMessage> SendBytesAsync(HttpMethod method, string uri, byte[] body, string contentType)
    {
        using var request = new HttpRequestMessage(method, uri) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new(contentType);
        return await _client.SendAsync(request);
    }
}
