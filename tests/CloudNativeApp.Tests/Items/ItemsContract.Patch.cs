namespace CloudNativeApp.Tests.Items;

// JSON merge patch (RFC 7396): what it changes, what it refuses.
public abstract partial class ItemsContract
{
    [Fact]
    public async Task Patch_merges_and_null_removes_optional_fields()
    {
        var created = await Client.CreateItemAsync(new
        {
            name = "Chair",
            description = "Red",
            category = "furniture",
            tags = new[] { "a", "b" },
            expiresAt = App.Clock.GetUtcNow().AddDays(1),
        });

        using var response = await Client.PatchAsync(
            created.Id(), """{"description":null,"category":null,"tags":null,"expiresAt":null,"Name":"Armchair"}""", ifMatch: created.ETag());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("\"1\"", response.Headers.ETag?.Tag);
        var item = (await response.ReadJsonAsync()).AsObject();
        Assert.Equal("Armchair", item["name"]!.GetValue<string>());
        Assert.Null(item["description"]);
        Assert.Equal("general", item["category"]!.GetValue<string>());
        Assert.Empty(item["tags"]!.AsArray());
        Assert.Null(item["expiresAt"]);

        var stored = await Client.GetStoredItemAsync(created.Id());
        Assert.True(JsonNode.DeepEquals(item, stored), $"{item.ToJsonString()} != {stored.ToJsonString()}");
    }

    [Fact]
    public async Task Patch_leaves_fields_it_does_not_mention()
    {
        var created = await Client.CreateItemAsync(new { name = "Sofa", description = "Blue", tags = new[] { "soft" } });

        using var response = await Client.PatchAsync(created.Id(), """{"tags":["soft","big"]}""");

        var item = (await response.ReadJsonAsync()).AsObject();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Sofa", item["name"]!.GetValue<string>());
        Assert.Equal("Blue", item["description"]!.GetValue<string>());
        Assert.Equal(["soft", "big"], item["tags"]!.AsArray().Select(tag => tag!.GetValue<string>()));
    }

    [Fact]
    public async Task Patch_that_removes_the_name_is_a_400_and_changes_nothing()
    {
        var created = await Client.CreateItemAsync(new { name = "Keep" });

        using var response = await Client.PatchAsync(created.Id(), """{"name":null}""");

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "name");
        var stored = await Client.GetStoredItemAsync(created.Id());
        Assert.Equal(0, stored["version"]!.GetValue<int>());
    }

    [Fact]
    public async Task Patch_with_an_invalid_value_is_a_validation_problem()
    {
        var created = await Client.CreateItemAsync(new { name = "Valid" });

        using var response = await Client.PatchAsync(created.Id(), """{"category":"no spaces allowed"}""");

        await response.AssertValidationErrorAsync("category");
    }

    [Theory]
    [InlineData("""{"colour":"red"}""", "colour")]
    [InlineData("""{"id":"other"}""", "id")]
    [InlineData("""{"tags":"not-a-list"}""", "tags")]
    [InlineData("""[1,2]""", "object")]
    [InlineData("""{"name":""", "JSON")]
    [InlineData("""{"name":"a","name":"b"}""", "JSON")]
    public async Task Patch_with_a_bad_document_is_a_400_saying_why(string patch, string detail)
    {
        var created = await Client.CreateItemAsync(new { name = "Target" });

        using var response = await Client.PatchAsync(created.Id(), patch);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, detail);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("text/plain")]
    public async Task Patch_needs_the_merge_patch_content_type(string contentType)
    {
        var created = await Client.CreateItemAsync(new { name = "Target" });

        using var response = await Client.SendJsonAsync(HttpMethod.Patch, $"/items/{created.Id()}", """{"name":"x"}""", contentType);

        await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType, "Content-Type: application/merge-patch"); // "+" is escaped in the JSON
    }

    [Fact]
    public async Task Patch_without_a_content_type_is_a_415()
    {
        var created = await Client.CreateItemAsync(new { name = "Target" });
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"/items/{created.Id()}") { Content = new ByteArrayContent("""{"name":"x"}"""u8.ToArray()) };

        using var response = await Client.SendAsync(request);

        await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
    }
}
