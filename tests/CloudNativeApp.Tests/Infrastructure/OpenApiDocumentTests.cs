using CloudNativeApp.Tests.Items;

namespace CloudNativeApp.Tests.Infrastructure;

/// <summary>
/// The OpenAPI document against the one Swashbuckle generated before the switch to Microsoft.AspNetCore.OpenApi
/// (<c>swagger-v1.swashbuckle.json</c>, saved from <c>GET /swagger/v1/swagger.json</c>): nothing a client relies on
/// is lost, and every difference is listed below with the reason it is acceptable.
/// </summary>
public sealed class OpenApiDocumentTests(InMemoryItemsApp fixture) : IClassFixture<InMemoryItemsApp>
{
    /// <summary>Facts of the new document that the old one did not state, and why they are right.</summary>
    private static readonly (Regex Fact, string Reason)[] Additions =
    [
        (Fact(@"/components/schemas/(CalculationRequest|ItemRequest)/required/.*"),
            "Constructor parameters without a default are required: the API already answers a body without them with a 400."),
        (Fact(@"/components/schemas/(CalculationResult|Item|ItemPage)/required/.*"),
            "Response properties that are always written (null when the schema says nullable) are listed as required: a client may rely on them being present."),
        (Fact(@"/paths//items/export/.*"),
            "GET /items/export is an operation added after the Swashbuckle document was recorded (issue 10)."),
        (Fact(@"/servers/0/(url|description) = .*"),
            "The API's root relative to the document (../..): what clients assumed without a server list, and right under a stage prefix too (issue 12)."),
        (Fact(@"/(tags/:\w+|components/schemas/\w+|paths/.*/parameters/[^/]+)/description = .*|/paths/.*/summary = .*"),
            "Descriptions and summaries are for people; no client behaviour depends on them."),
        (Fact(@"/(paths/.*/parameters/[^/]+/schema|paths/.*/content/[^/]+/[^/]+/schema|components/schemas/\w+/properties/\w+(/items)?)/(maxLength|minLength|maxItems|uniqueItems|pattern|minimum|maximum) = .*"),
            "Limits the API already enforced, now stated so a client can check a request before sending it (issue 12)."),
        (Fact(@"/.*/format = ""decimal"""),
            "The calculator's numbers are exact decimals, not doubles (see Removals)."),
        (Fact(@"/paths/.*/responses/\d+/headers/.*"),
            "Response headers the API always sent (ETag, Location, Retry-After, WWW-Authenticate), now declared."),
        (Fact(@"/paths/.*/responses/(304|400|413|415|422)/.*"),
            "Statuses the API could already answer but did not declare (issue 12), and 304 for the conditional GET it answers now."),
        (Fact(@"/paths//items/\{id\}/(get|put)/parameters/header:If-None-Match/.*"),
            "If-None-Match: conditional GET (304) and the create-only guard on PUT (issue 12)."),
    ];

    /// <summary>Facts of the old document that the new one does not state, and why nothing depends on them.</summary>
    private static readonly (Regex Fact, string Reason)[] Removals =
    [
        (Fact(@"/(paths//calculator/.*|components/schemas/Calculation(Request|Result)/properties/\w+)/format = ""double"""),
            "The calculator's numbers are decimals (28–29 significant digits), which a double-typed client would round: format decimal now (docs/api.md)."),
        (Fact(@"/paths//items/\{id\}/(get|put)/summary = .*"),
            "The summaries of GET and PUT /items/{id} now also say what If-None-Match does."),
        (Fact(@"/components/schemas/ItemMergePatch/properties/name/nullable = true"),
            "A merge patch cannot remove the name: {\"name\":null} has always been a 400."),
    ];

    /// <summary>Not part of the contract: reason phrases (422 is now "Unprocessable Entity" rather than RFC 9110's "Unprocessable Content").</summary>
    private static readonly Regex Ignored = new(@"^/paths/.*/responses/\d+/description = ", RegexOptions.CultureInvariant);

    [Fact]
    public async Task The_document_states_everything_the_Swashbuckle_document_did()
    {
        var before = Facts(await SwashbuckleDocumentAsync());
        var now = Facts(await DocumentAsync());

        var lost = before.Except(now).Where(fact => !Removals.Any(allowed => allowed.Fact.IsMatch(fact))).ToList();
        var added = now.Except(before).Where(fact => !Additions.Any(allowed => allowed.Fact.IsMatch(fact))).ToList();

        Assert.True(lost.Count == 0, $"Lost from the document:{Environment.NewLine}{string.Join(Environment.NewLine, lost)}");
        Assert.True(added.Count == 0, $"New in the document, not listed in {nameof(Additions)}:{Environment.NewLine}{string.Join(Environment.NewLine, added)}");
    }

    [Fact]
    public async Task Every_listed_difference_still_occurs()
    {
        var before = Facts(await SwashbuckleDocumentAsync());
        var added = Facts(await DocumentAsync()).Except(before).ToList();

        Assert.All(Additions, allowed => Assert.Contains(added, fact => allowed.Fact.IsMatch(fact)));
    }

    [Fact]
    public async Task Problem_details_allow_extension_members_and_the_server_is_relative_to_the_document()
    {
        var document = await DocumentAsync();

        Assert.Equal("../..", Assert.Single(document["servers"]!.AsArray())!["url"]!.GetValue<string>()); // relative: the document's own address decides
        foreach (var problem in (string[])["ProblemDetails", "HttpValidationProblemDetails"])
        {
            Assert.Equal(JsonValueKind.Object, document["components"]!["schemas"]![problem]!["additionalProperties"]!.GetValueKind());
        }

        Assert.Null(document["components"]!["schemas"]!["ItemMergePatch"]!["required"]);
    }

    private static async Task<JsonNode?> SwashbuckleDocumentAsync() =>
        JsonNode.Parse(await File.ReadAllTextAsync(RepositoryRoot.Resolve("tests", "CloudNativeApp.Tests", "Infrastructure", "swagger-v1.swashbuckle.json")));

    private async Task<JsonNode> DocumentAsync()
    {
        using var client = fixture.App.CreateClient();
        return JsonNode.Parse(await client.GetStringAsync("/swagger/v1/swagger.json"))!;
    }

    /// <summary>
    /// The document as a set of facts, one per leaf: <c>/paths/{path}/{method}/parameters/{in}:{name}/schema/type = "integer"</c>.
    /// Arrays of values (required, enums, tags) become one fact per member, arrays of parameters are keyed by
    /// location and name, so order does not matter.
    /// </summary>
    private static HashSet<string> Facts(JsonNode? document)
    {
        var facts = new HashSet<string>(StringComparer.Ordinal);
        Add(document, "");
        facts.RemoveWhere(fact => Ignored.IsMatch(fact));
        return facts;

        void Add(JsonNode? node, string path)
        {
            switch (node)
            {
                case JsonObject { Count: 0 }:
                    facts.Add($"{path} = {{}}");
                    break;
                case JsonObject obj:
                    foreach (var (name, value) in obj)
                    {
                        Add(value, $"{path}/{name}");
                    }

                    break;
                case JsonArray array when array.All(element => element is JsonValue):
                    facts.UnionWith(array.Select(element => $"{path}/{element!.ToJsonString()}"));
                    break;
                case JsonArray array:
                    for (var i = 0; i < array.Count; i++)
                    {
                        Add(array[i], $"{path}/{(array[i]?["name"] is { } name ? $"{array[i]?["in"]}:{name}" : i)}");
                    }

                    break;
                default:
                    facts.Add($"{path} = {node?.ToJsonString() ?? "null"}");
                    break;
            }
        }
    }

    private static Regex Fact(string pattern) => new($"^{pattern}$", RegexOptions.CultureInvariant);
}
