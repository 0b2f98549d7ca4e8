using System.IO.Compression;

namespace CloudNativeApp.Deployment.Tests.CloudFormation;

/// <summary>
/// The CloudFormation resource types (registry schemas) and the SAM resource specification, as shipped in the
/// npm package @aws-cdk/aws-service-spec (<c>db.json.gz</c>): property names and types at every depth,
/// required properties, allowed values and Fn::GetAtt attributes.
/// </summary>
public sealed class ResourceSpecification
{
    private readonly Dictionary<string, ResourceTypeSpec> _resourceTypes;

    private ResourceSpecification(Dictionary<string, ResourceTypeSpec> resourceTypes) => _resourceTypes = resourceTypes;

    public int ResourceTypeCount => _resourceTypes.Count;

    public ResourceTypeSpec? Find(string cloudFormationType) => _resourceTypes.GetValueOrDefault(cloudFormationType);

    /// <summary>The one copy the tests share: parsing the 15 MB database takes a noticeable fraction of a second.</summary>
    public static ResourceSpecification Shared => SharedInstance.Value;

    private static readonly Lazy<ResourceSpecification> SharedInstance = new(() =>
        Load(RepositoryRoot.Resolve("node_modules", "@aws-cdk", "aws-service-spec", "db.json.gz")));

    public static ResourceSpecification Load(string databasePath)
    {
        if (!File.Exists(databasePath))
        {
            throw new FileNotFoundException($"{databasePath} is missing: run `npm ci` in the repository root first.", databasePath);
        }

        using var file = File.OpenRead(databasePath);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var database = JsonDocument.Parse(gzip, new JsonDocumentOptions { MaxDepth = 256 });
        var schema = database.RootElement.GetProperty("schema");

        // Type definitions refer to each other (and to themselves) by $id, so create them all first and fill them in after.
        var definitions = new Dictionary<string, ObjectTypeSpec>(StringComparer.Ordinal);
        foreach (var definition in schema.GetProperty("typeDefinition").GetProperty("entities").EnumerateArray())
        {
            definitions[definition.GetProperty("$id").GetString()!] = new ObjectTypeSpec(definition.GetProperty("name").GetString()!);
        }

        foreach (var definition in schema.GetProperty("typeDefinition").GetProperty("entities").EnumerateArray())
        {
            var target = definitions[definition.GetProperty("$id").GetString()!];
            foreach (var (name, property) in ReadProperties(definition, definitions))
            {
                target.Properties[name] = property;
            }
        }

        var resourceTypes = new Dictionary<string, ResourceTypeSpec>(StringComparer.Ordinal);
        foreach (var resource in schema.GetProperty("resource").GetProperty("entities").EnumerateArray())
        {
            var type = resource.GetProperty("cloudFormationType").GetString()!;
            var attributes = resource.TryGetProperty("attributes", out var attributeObject)
                ? attributeObject.EnumerateObject().Select(attribute => attribute.Name).ToHashSet(StringComparer.Ordinal)
                : [];
            resourceTypes[type] = new ResourceTypeSpec(type, ReadProperties(resource, definitions), attributes);
        }

        return new ResourceSpecification(resourceTypes);
    }

    private static Dictionary<string, PropertySpec> ReadProperties(JsonElement owner, Dictionary<string, ObjectTypeSpec> definitions)
    {
        var properties = new Dictionary<string, PropertySpec>(StringComparer.Ordinal);
        if (owner.TryGetProperty("properties", out var propertyObject))
        {
            foreach (var property in propertyObject.EnumerateObject())
            {
                var required = property.Value.TryGetProperty("required", out var flag) && flag.ValueKind == JsonValueKind.True;
                properties[property.Name] = new PropertySpec(ReadType(property.Value.GetProperty("type"), definitions), required);
            }
        }

        return properties;
    }

    private static TypeSpec ReadType(JsonElement type, Dictionary<string, ObjectTypeSpec> definitions) =>
        type.GetProperty("type").GetString() switch
        {
            "string" or "date-time" => new ScalarTypeSpec(ScalarKind.Text, AllowedValues(type)),
            "integer" => new ScalarTypeSpec(ScalarKind.WholeNumber, AllowedValues(type)),
            "number" => new ScalarTypeSpec(ScalarKind.Number, AllowedValues(type)),
            "boolean" => new ScalarTypeSpec(ScalarKind.Boolean, []),
            "json" => JsonTypeSpec.Instance,
            "tag" => TagTypeSpec.Instance,
            "array" => new ArrayTypeSpec(ReadType(type.GetProperty("element"), definitions)),
            "map" => new MapTypeSpec(ReadType(type.GetProperty("element"), definitions)),
            "union" => new UnionTypeSpec([.. type.GetProperty("types").EnumerateArray().Select(member => ReadType(member, definitions))]),
            "ref" => definitions[type.GetProperty("reference").GetProperty("$ref").GetString()!],
            var other => throw new InvalidDataException($"Unknown property type '{other}' in the resource specification."),
        };

    private static string[] AllowedValues(JsonElement type) =>
        type.TryGetProperty("allowedValues", out var values)
            ? [.. values.EnumerateArray().Select(value => value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText())]
            : [];
}

public sealed record ResourceTypeSpec(string Name, IReadOnlyDictionary<string, PropertySpec> Properties, IReadOnlySet<string> Attributes);

public sealed record PropertySpec(TypeSpec Type, bool Required);

public abstract record TypeSpec
{
    /// <summary>How an error message names the expected type.</summary>
    public abstract string Describe();
}

public enum ScalarKind
{
    Text,
    WholeNumber,
    Number,
    Boolean,
}

public sealed record ScalarTypeSpec(ScalarKind Kind, IReadOnlyList<string> AllowedValues) : TypeSpec
{
    public override string Describe() => Kind switch
    {
        ScalarKind.Text => "string",
        ScalarKind.WholeNumber => "integer",
        _ => Kind.ToString().ToLowerInvariant(),
    };
}

public sealed record ArrayTypeSpec(TypeSpec Element) : TypeSpec
{
    public override string Describe() => $"array of {Element.Describe()}";
}

public sealed record MapTypeSpec(TypeSpec Element) : TypeSpec
{
    public override string Describe() => $"map of {Element.Describe()}";
}

public sealed record UnionTypeSpec(IReadOnlyList<TypeSpec> Members) : TypeSpec
{
    public override string Describe() => string.Join(" or ", Members.Select(member => member.Describe()));
}

/// <summary>A property whose value is free-form JSON (policy documents, OpenAPI bodies).</summary>
public sealed record JsonTypeSpec : TypeSpec
{
    public static JsonTypeSpec Instance { get; } = new();

    public override string Describe() => "JSON";
}

public sealed record TagTypeSpec : TypeSpec
{
    public static TagTypeSpec Instance { get; } = new();

    public override string Describe() => "tag {Key, Value}";
}

/// <summary>A named structure; reference equality, because definitions can be recursive.</summary>
public sealed record ObjectTypeSpec(string Name) : TypeSpec
{
    public Dictionary<string, PropertySpec> Properties { get; } = new(StringComparer.Ordinal);

    public override string Describe() => $"object ({Name})";

    public bool Equals(ObjectTypeSpec? other) => ReferenceEquals(this, other);

    public override int GetHashCode() => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(this);
}
