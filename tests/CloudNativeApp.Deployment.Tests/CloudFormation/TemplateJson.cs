using System.Globalization;

namespace CloudNativeApp.Deployment.Tests.CloudFormation;

/// <summary>How CloudFormation reads JSON values: intrinsic functions, scalars that convert, Fn::Sub variables.</summary>
internal static partial class TemplateJson
{
    /// <summary>The <c>${Name}</c> variables of an Fn::Sub string.</summary>
    [GeneratedRegex(@"\$\{([^}]*)\}")]
    public static partial Regex SubVariable();

    public static bool TryGetIntrinsic(JsonNode? node, out string function, out JsonNode? argument)
    {
        if (node is JsonObject { Count: 1 } value && value.First() is var (name, inner)
            && (name == "Ref" || name.StartsWith("Fn::", StringComparison.Ordinal)))
        {
            function = name;
            argument = inner;
            return true;
        }

        function = "";
        argument = null;
        return false;
    }

    /// <summary>The name a <c>{"Ref": name}</c> names, or null when <paramref name="node"/> is no such Ref.</summary>
    public static string? RefTarget(JsonNode? node) =>
        TryGetIntrinsic(node, out var function, out var argument) && function == "Ref" && IsString(argument)
            ? argument!.GetValue<string>()
            : null;

    /// <summary>An object's property values or an array's items; nothing for a scalar.</summary>
    public static IEnumerable<JsonNode?> Children(JsonNode? node) => node switch
    {
        JsonObject value => value.Select(property => property.Value),
        JsonArray array => array,
        _ => [],
    };

    public static bool IsNoValue(JsonNode? node) => RefTarget(node) == "AWS::NoValue";

    public static bool IsString(JsonNode? node) => node?.GetValueKind() == JsonValueKind.String;

    public static bool IsNumber(JsonNode value) =>
        value is JsonValue && value.GetValueKind() is JsonValueKind.Number or JsonValueKind.String
        && decimal.TryParse(ScalarText(value), NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    public static string ScalarText(JsonNode? value) => value switch
    {
        null => "",
        JsonValue when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        _ => value.ToJsonString(),
    };

    public static string Describe(JsonNode value) => value switch
    {
        JsonObject => "an object",
        JsonArray => "an array",
        _ => value.GetValueKind() switch
        {
            JsonValueKind.String => $"the string \"{value.GetValue<string>()}\"",
            JsonValueKind.Number => $"the number {value.ToJsonString()}",
            _ => value.ToJsonString(),
        },
    };
}
