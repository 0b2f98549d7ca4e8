using Json.Schema;

namespace CloudNativeApp.Tests.Infrastructure;

/// <summary>
/// Checks real responses against the served OpenAPI document as a generated client would meet them: the status must
/// be declared for the operation, the media type among the declared ones, the body valid against the declared schema
/// (JSON Schema, via JsonSchema.Net, after turning OpenAPI 3.0's <c>nullable</c> and component references into their
/// JSON Schema spelling), and required response headers present. Records which (operation, status) pairs were seen.
/// </summary>
internal sealed class OpenApiContract
{
    private readonly JsonObject _paths;
    private readonly JsonObject _definitions;
    private readonly Dictionary<string, JsonSchema> _schemas = [];

    private OpenApiContract(JsonObject document)
    {
        _paths = document["paths"]!.AsObject();
        _definitions = ToJsonSchema(document["components"]?["schemas"] ?? new JsonObject())!.AsObject();
    }

    public HashSet<(string Operation, string Status)> Seen { get; } = [];

    /// <summary>Every (operation id, status) the document declares.</summary>
    public IEnumerable<(string Operation, string Status)> Declared =>
        from path in _paths
        from operation in path.Value!.AsObject()
        from response in operation.Value!["responses"]!.AsObject()
        select (operation.Value!["operationId"]!.GetValue<string>(), response.Key);

    public static async Task<OpenApiContract> LoadAsync(HttpClient client) =>
        new(JsonNode.Parse(await client.GetStringAsync("/swagger/v1/swagger.json"))!.AsObject());

    /// <summary>Sends <paramref name="request"/>, checks the response against the document and returns its status.</summary>
    public async Task<int> CheckAsync(HttpClient client, HttpRequestMessage request)
    {
        using (request)
        using (var response = await client.SendAsync(request))
        {
            await CheckAsync(response);
            return (int)response.StatusCode;
        }
    }

    public async Task CheckAsync(HttpResponseMessage response)
    {
        var request = response.RequestMessage!;
        var method = request.Method.Method.ToLowerInvariant();
        var path = request.RequestUri!.AbsolutePath;
        var (template, operation) = FindOperation(method, path);
        var operationId = operation["operationId"]!.GetValue<string>();
        var status = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var body = await response.Content.ReadAsStringAsync();
        var what = $"{request.Method} {path} ({operationId}) answered {status}";

        var declared = operation["responses"]![status]
            ?? throw new Xunit.Sdk.XunitException($"{what}, which the document does not declare. Body: {body}");
        Seen.Add((operationId, status));

        foreach (var (name, header) in declared["headers"]?.AsObject() ?? [])
        {
            if (header!["required"]?.GetValue<bool>() == true)
            {
                Assert.True(
                    response.Headers.NonValidated.Contains(name) || response.Content.Headers.NonValidated.Contains(name),
                    $"{what} without the {name} header the document requires.");
            }
        }

        if (declared["content"] is not JsonObject content)
        {
            Assert.True(body.Length == 0, $"{what} with a body the document does not declare: {body}");
            return;
        }

        var mediaType = response.Content.Headers.ContentType?.MediaType ?? "(none)";
        var declaredMedia = content[mediaType]
            ?? throw new Xunit.Sdk.XunitException($"{what} as {mediaType}; the document declares {string.Join(", ", content.Select(entry => entry.Key))}.");
        var schema = Schema($"{template} {method} {status} {mediaType}", declaredMedia["schema"]!);
        var instances = mediaType == "application/x-ndjson"
            ? body.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            : [body];
        foreach (var instance in instances)
        {
            using var json = JsonDocument.Parse(instance);
            var result = schema.Evaluate(json.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
            Assert.True(result.IsValid, $"{what} with a body that does not match its schema: {instance}{Environment.NewLine}{Errors(result)}");
        }
    }

    private (string Template, JsonObject Operation) FindOperation(string method, string path)
    {
        // A literal segment wins over a parameter (/items/export over /items/{id}), as in routing.
        var match = _paths
            .Where(entry => entry.Value![method] is not null && Regex.IsMatch(path, $"^{Regex.Replace(Regex.Escape(entry.Key), @"\\\{[^}]+}", "[^/]+")}$"))
            .OrderBy(entry => entry.Key.Count(c => c == '{'))
            .FirstOrDefault();
        return match.Key is null
            ? throw new Xunit.Sdk.XunitException($"{method.ToUpperInvariant()} {path} is not an operation of the document.")
            : (match.Key, match.Value![method]!.AsObject());
    }

    private JsonSchema Schema(string key, JsonNode openApiSchema)
    {
        if (!_schemas.TryGetValue(key, out var schema))
        {
            var root = ToJsonSchema(openApiSchema)!.AsObject();
            root["$defs"] = _definitions.DeepClone();
            schema = JsonSchema.FromText(root.ToJsonString(), baseUri: new Uri($"urn:uuid:{Guid.NewGuid()}"));
            _schemas[key] = schema;
        }

        return schema;
    }

    /// <summary>OpenAPI 3.0 schema → JSON Schema 2020-12: <c>nullable: true</c> adds "null" to the type; component references point into <c>$defs</c>.</summary>
    private static JsonNode? ToJsonSchema(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                var converted = new JsonObject();
                var nullable = obj["nullable"] is JsonValue value && value.GetValue<bool>();
                foreach (var (name, child) in obj)
                {
                    converted[name] = name switch
                    {
                        "nullable" => null,
                        "$ref" => child!.GetValue<string>().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal),
                        "type" when nullable => new JsonArray(child!.GetValue<string>(), "null"),
                        _ => ToJsonSchema(child),
                    };
                }

                converted.Remove("nullable");
                return converted;
            case JsonArray array:
                return new JsonArray([.. array.Select(ToJsonSchema)]);
            default:
                return node?.DeepClone();
        }
    }

    private static string Errors(EvaluationResults result) =>
        string.Join(
            Environment.NewLine,
            (result.Details ?? []).Where(detail => detail.Errors is { Count: > 0 })
                .SelectMany(detail => detail.Errors!.Select(error => $"  {detail.InstanceLocation}: {error.Key}: {error.Value}")));
}
