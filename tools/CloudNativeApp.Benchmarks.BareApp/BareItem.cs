using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;
using Amazon.DynamoDBv2.DataModel;

namespace CloudNativeApp.Benchmarks.BareApp;

/// <summary>The app's item as stored (a subset of its attributes is enough to read it).</summary>
[DynamoDBTable("Items")]
public sealed class BareItem
{
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicConstructors, typeof(List<string>))]
    public BareItem()
    {
    }

    [DynamoDBHashKey("id")]
    public string Id { get; set; } = "";

    [DynamoDBProperty("name")]
    public string Name { get; set; } = "";

    [DynamoDBProperty("description")]
    public string? Description { get; set; }

    [DynamoDBProperty("category")]
    public string Category { get; set; } = "";

    [DynamoDBProperty("createdAt")]
    public DateTime CreatedAt { get; set; }

    [DynamoDBProperty("updatedAt")]
    public DateTime UpdatedAt { get; set; }

    [DynamoDBProperty("tags")]
#pragma warning disable CA2227 // DynamoDBContext materialises documents through property setters.
    public List<string> Tags { get; set; } = [];
#pragma warning restore CA2227

    [DynamoDBVersion("version")]
    public int? Version { get; set; }
}

[JsonSerializable(typeof(BareItem))]
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
internal sealed partial class BareJsonContext : JsonSerializerContext;
