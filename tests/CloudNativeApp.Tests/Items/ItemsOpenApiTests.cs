namespace CloudNativeApp.Tests.Items;

public sealed class ItemsOpenApiTests(InMemoryItemsApp fixture) : IClassFixture<InMemoryItemsApp>
{
    public static TheoryData<string, string, string, string[]> Operations => new()
    {
        { "/items", "post", "201", ["400", "413", "415", "422", "503"] },
        { "/items", "get", "200", ["400", "503"] },
        { "/items/{id}", "get", "200", ["404", "503"] },
        { "/items/export", "get", "200", ["400", "503"] },
        { "/items/{id}", "put", "200", ["400", "404", "409", "412", "413", "415", "503"] },
        { "/items/{id}", "patch", "200", ["400", "404", "409", "412", "413", "415", "503"] },
        { "/items/{id}", "delete", "204", ["400", "404", "409", "412", "503"] },
    };

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Every_items_operation_documents_its_success_and_problem_responses(string path, string method, string success, string[] problems)
    {
        var operation = (await DocumentAsync())["paths"]![path]![method]!.AsObject();
        var responses = operation["responses"]!.AsObject();

        Assert.True(responses.ContainsKey(success), $"{method} {path} lacks {success}");
        Assert.All(problems, status =>
        {
            Assert.True(responses.ContainsKey(status), $"{method} {path} lacks {status}");
            Assert.NotNull(responses[status]!["content"]?["application/problem+json"]);
        });
    }

    [Fact]
    public async Task Request_and_response_bodies_have_schemas()
    {
        var document = await DocumentAsync();
        var paths = document["paths"]!;

        Assert.EndsWith("/ItemRequest", SchemaRef(paths["/items"]!["post"]!["requestBody"]!, "application/json"));
        Assert.EndsWith("/Item", SchemaRef(paths["/items"]!["post"]!["responses"]!["201"]!, "application/json"));
        Assert.EndsWith("/ItemPage", SchemaRef(paths["/items"]!["get"]!["responses"]!["200"]!, "application/json"));
        Assert.EndsWith("/Item", SchemaRef(paths["/items/export"]!["get"]!["responses"]!["200"]!, "application/x-ndjson"));
        Assert.Equal("ExportItems", paths["/items/export"]!["get"]!["operationId"]!.GetValue<string>());
        Assert.EndsWith("/ItemMergePatch", SchemaRef(paths["/items/{id}"]!["patch"]!["requestBody"]!, "application/merge-patch+json"));
        Assert.Equal(
            ["category", "limit", "nextToken"],
            paths["/items"]!["get"]!["parameters"]!.AsArray().Select(parameter => parameter!["name"]!.GetValue<string>()));
        var limit = paths["/items"]!["get"]!["parameters"]!.AsArray().Single(parameter => parameter!["name"]!.GetValue<string>() == "limit")!["schema"]!;
        Assert.Equal("integer", limit["type"]!.GetValue<string>());
        Assert.Equal(100, limit["maximum"]!.GetValue<int>());
        Assert.Contains("If-Match", paths["/items/{id}"]!["put"]!["parameters"]!.AsArray().Select(parameter => parameter!["name"]!.GetValue<string>()));

        var item = document["components"]!["schemas"]!["ItemRequest"]!;
        Assert.Contains("name", item["required"]!.AsArray().Select(name => name!.GetValue<string>()));
    }

    private async Task<JsonNode> DocumentAsync()
    {
        using var client = fixture.App.CreateClient();
        return JsonNode.Parse(await client.GetStringAsync("/swagger/v1/swagger.json"))!;
    }

    private static string SchemaRef(JsonNode body, string contentType) => body["content"]![contentType]!["schema"]!["$ref"]!.GetValue<string>();
}
