using System.Reflection;
using Amazon.DynamoDBv2.DataModel;

namespace CloudNativeApp.Deployment.Tests;

/// <summary>The DynamoDB table a persisted class declares through the SDK's object-persistence attributes.</summary>
public sealed record TableModel(
    KeyDefinition HashKey,
    KeyDefinition? RangeKey,
    IReadOnlyDictionary<string, (KeyDefinition Hash, KeyDefinition? Range)> GlobalIndexes,
    string? TimeToLiveAttribute)
{
    public IEnumerable<KeyDefinition> KeyAttributes =>
        new[] { HashKey, RangeKey }.Concat(GlobalIndexes.Values.SelectMany(index => new[] { index.Hash, index.Range }))
            .OfType<KeyDefinition>()
            .DistinctBy(key => key.Name);

    public static TableModel Of<TDocument>()
    {
        KeyDefinition? hash = null, range = null;
        string? timeToLive = null;
        var indexHashes = new Dictionary<string, KeyDefinition>(StringComparer.Ordinal);
        var indexRanges = new Dictionary<string, KeyDefinition>(StringComparer.Ordinal);

        foreach (var property in typeof(TDocument).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            foreach (var attribute in property.GetCustomAttributes<DynamoDBAttribute>())
            {
                switch (attribute)
                {
                    // The index attributes derive from the table key attributes: test them first.
                    case DynamoDBGlobalSecondaryIndexHashKeyAttribute index:
                        foreach (var name in index.IndexNames)
                        {
                            indexHashes[name] = KeyDefinition.For(property, index.AttributeName);
                        }

                        break;
                    case DynamoDBGlobalSecondaryIndexRangeKeyAttribute index:
                        foreach (var name in index.IndexNames)
                        {
                            indexRanges[name] = KeyDefinition.For(property, index.AttributeName);
                        }

                        break;
                    case DynamoDBHashKeyAttribute key:
                        hash = KeyDefinition.For(property, key.AttributeName);
                        break;
                    case DynamoDBRangeKeyAttribute key:
                        range = KeyDefinition.For(property, key.AttributeName);
                        break;
                    case DynamoDBPropertyAttribute { StoreAsEpochLong: true } epoch:
                        timeToLive = epoch.AttributeName ?? property.Name;
                        break;
                }
            }
        }

        return new TableModel(
            hash ?? throw new InvalidOperationException($"{typeof(TDocument).Name} declares no [DynamoDBHashKey]."),
            range,
            indexHashes.ToDictionary(pair => pair.Key, pair => (pair.Value, indexRanges.GetValueOrDefault(pair.Key)), StringComparer.Ordinal),
            timeToLive);
    }
}

/// <summary>A key attribute's name and DynamoDB scalar type (S, N or B) as the SDK stores the property.</summary>
public sealed record KeyDefinition(string Name, string Type)
{
    public static KeyDefinition For(PropertyInfo property, string? attributeName) => new(attributeName ?? property.Name, ScalarType(property.PropertyType));

    private static string ScalarType(System.Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(byte[]) || type == typeof(MemoryStream))
        {
            return "B";
        }

        // Dates are ISO-8601 strings unless stored as epoch; key attributes here are never epoch-stored.
        return type == typeof(string) || type == typeof(Guid) || type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(char)
            ? "S"
            : System.Type.GetTypeCode(type) is >= TypeCode.SByte and <= TypeCode.Decimal ? "N" : throw new NotSupportedException($"{type} is not a DynamoDB key type.");
    }
}
