namespace CloudNativeApp.Tests.Items;

// Bodies POST and PUT refuse, and the edge values they accept.
public abstract partial class ItemsContract
{
    [Fact]
    public async Task Post_and_put_need_json()
    {
        var created = await Client.CreateItemAsync(new { name = "Target" });

        using var post = await Client.SendJsonAsync(HttpMethod.Post, "/items", """{"name":"x"}""", "text/plain");
        using var put = await Client.SendJsonAsync(HttpMethod.Put, $"/items/{created.Id()}", """{"name":"x"}""", "text/plain");

        await post.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
        await put.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Unknown_properties_are_a_400_naming_the_property()
    {
        var created = await Client.CreateItemAsync(new { name = "Target" });

        using var post = await Client.SendJsonAsync(HttpMethod.Post, "/items", """{"name":"x","colour":"red"}""");
        using var put = await Client.PutAsync(created.Id(), """{"name":"x","version":3}""");

        await post.AssertProblemAsync(HttpStatusCode.BadRequest, "colour");
        await put.AssertProblemAsync(HttpStatusCode.BadRequest, "version");
    }

    public static TheoryData<string, string> InvalidItems => new()
    {
        { """{"name":"   "}""", "name" },
        { $$"""{"name":"{{new string('n', 201)}}"}""", "name" },
        { $$"""{"name":"a","description":"{{new string('d', 2001)}}"}""", "description" },
        { """{"name":"a","category":""}""", "category" },
        { """{"name":"a","category":"has space"}""", "category" },
        { $$"""{"name":"a","category":"{{new string('c', 51)}}"}""", "category" },
        { $$"""{"name":"a","tags":[{{string.Join(',', Enumerable.Range(0, 21).Select(i => $"\"t{i}\""))}}]}""", "tags" },
        { """{"name":"a","tags":["same","same"]}""", "tags" },
        { """{"name":"a","tags":[""]}""", "tags" },
        { $$"""{"name":"a","tags":["{{new string('t', 51)}}"]}""", "tags" },
        { """{"name":"a","expiresAt":"2001-01-01T00:00:00Z"}""", "expiresAt" },
    };

    [Theory]
    [MemberData(nameof(InvalidItems))]
    public async Task Invalid_fields_are_a_validation_problem_naming_the_field(string body, string field)
    {
        using var response = await Client.SendJsonAsync(HttpMethod.Post, "/items", body);

        await response.AssertValidationErrorAsync(field);
    }

    [Theory]
    [InlineData("{}", "name")]
    [InlineData("""{"name":null}""", "name")]
    [InlineData("""{"name":5}""", "name")]
    [InlineData("""{"name":"a","expiresAt":"tomorrow"}""", "expiresAt")]
    [InlineData("", "body")]
    public async Task Malformed_bodies_are_a_400_problem(string body, string detail)
    {
        using var response = await Client.SendJsonAsync(HttpMethod.Post, "/items", body);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, detail);
    }

    [Fact]
    public async Task Edge_values_are_accepted()
    {
        var item = await Client.CreateItemAsync(new
        {
            name = new string('n', 200),
            description = new string('d', 2000),
            category = new string('c', 50),
            tags = Enumerable.Range(0, 20).Select(i => $"{i}{new string('t', 40)}").ToArray(),
        });

        Assert.Equal(20, item["tags"]!.AsArray().Count);
    }
}
