using System.Globalization;
using static CloudNativeApp.Deployment.Tests.CloudFormation.TemplateJson;

namespace CloudNativeApp.Deployment.Tests.CloudFormation;

/// <summary>
/// Property values against their specified types, at every depth: value types, allowed values, required and
/// unknown properties, and what an intrinsic function in a value's place gives.
/// </summary>
internal sealed class PropertyValueValidator(TemplateContext context)
{
    /// <summary>Intrinsic functions that always produce a string.</summary>
    private static readonly HashSet<string> StringFunctions = ["Fn::Sub", "Fn::Join", "Fn::Base64", "Fn::ImportValue", "Fn::ToJsonString"];

    /// <summary>Intrinsic functions that always produce a list.</summary>
    private static readonly HashSet<string> ListFunctions = ["Fn::Split", "Fn::GetAZs", "Fn::Cidr"];

    private static readonly HashSet<string> OtherFunctions = ["Ref", "Fn::GetAtt", "Fn::If", "Fn::Select", "Fn::FindInMap", "Fn::Length"];

    private static readonly ScalarTypeSpec Text = new(ScalarKind.Text, []);

    /// <summary>
    /// Each of <paramref name="given"/>'s properties against the type <paramref name="typeOf"/> finds for its name;
    /// one it finds none for is not a property of <paramref name="owner"/>.
    /// </summary>
    public void ValidateProperties(JsonObject given, string owner, Func<string, TypeSpec?> typeOf, string path, List<string> errors)
    {
        foreach (var (name, value) in given)
        {
            if (typeOf(name) is { } type)
            {
                Validate(value, type, $"{path}.{name}", errors);
            }
            else
            {
                errors.Add($"{path}.{name}: {owner} has no property '{name}'.");
            }
        }
    }

    /// <summary>Every required property of <paramref name="owner"/> is in one of <paramref name="givenIn"/>.</summary>
    public static void ValidateRequired(
        IEnumerable<KeyValuePair<string, PropertySpec>> properties, string owner, string path, List<string> errors, params JsonObject[] givenIn)
    {
        foreach (var (name, property) in properties)
        {
            if (property.Required && !givenIn.Any(given => given.ContainsKey(name)))
            {
                errors.Add($"{path}: {owner} requires '{name}'.");
            }
        }
    }

    public void Validate(JsonNode? value, TypeSpec type, string path, List<string> errors)
    {
        if (value is null)
        {
            errors.Add($"{path}: null is not a value CloudFormation accepts.");
            return;
        }

        if (TryGetIntrinsic(value, out var function, out var argument))
        {
            ValidateIntrinsicResult(function, argument, type, path, errors);
            return;
        }

        switch (type)
        {
            case JsonTypeSpec:
                return;
            case UnionTypeSpec union:
                ValidateUnion(value, union, path, errors);
                return;
            case ScalarTypeSpec scalar:
                ValidateScalar(value, scalar, path, errors);
                return;
            case ArrayTypeSpec array when value is JsonArray items:
                for (var i = 0; i < items.Count; i++)
                {
                    Validate(items[i], array.Element, $"{path}[{i}]", errors);
                }

                return;
            case MapTypeSpec map when value is JsonObject entries:
                foreach (var (key, entry) in entries)
                {
                    Validate(entry, map.Element, $"{path}.{key}", errors);
                }

                return;
            case TagTypeSpec when value is JsonObject tag:
                ValidateTag(tag, path, errors);
                return;
            case ObjectTypeSpec structure when value is JsonObject properties:
                ValidateObject(properties, structure, path, errors);
                return;
            default:
                errors.Add($"{path}: expected {type.Describe()}, got {Describe(value)}.");
                return;
        }
    }

    private void ValidateIntrinsicResult(string function, JsonNode? argument, TypeSpec type, string path, List<string> errors)
    {
        if (!StringFunctions.Contains(function) && !ListFunctions.Contains(function) && !OtherFunctions.Contains(function))
        {
            errors.Add($"{path}: '{function}' is not an intrinsic function.");
            return;
        }

        if (function == "Fn::If")
        {
            ValidateIf(argument, type, $"{path}.Fn::If", errors);
            return;
        }

        var produces = function switch
        {
            _ when StringFunctions.Contains(function) => "a string",
            _ when ListFunctions.Contains(function) => "a list",
            "Ref" => RefProduces(argument),
            _ => null, // Fn::GetAtt, Fn::Select, Fn::FindInMap: depends on the target.
        };
        if (produces is not null && !Accepts(type, produces))
        {
            errors.Add($"{path}: expected {type.Describe()}, but {function} gives {produces}.");
        }
    }

    /// <summary>Fn::If names a condition, and each branch but AWS::NoValue is a value of <paramref name="type"/>.</summary>
    private void ValidateIf(JsonNode? argument, TypeSpec type, string path, List<string> errors)
    {
        if (argument is not JsonArray { Count: 3 } branches || !IsString(branches[0]))
        {
            errors.Add($"{path}: takes [condition name, value if true, value if false].");
            return;
        }

        if (!context.Conditions.ContainsKey(branches[0]!.GetValue<string>()))
        {
            errors.Add($"{path}: no condition named '{branches[0]!.GetValue<string>()}'.");
        }

        for (var i = 1; i <= 2; i++)
        {
            if (!IsNoValue(branches[i]))
            {
                Validate(branches[i], type, $"{path}[{i}]", errors);
            }
        }
    }

    private string? RefProduces(JsonNode? argument)
    {
        if (!IsString(argument))
        {
            return null;
        }

        var target = argument!.GetValue<string>();
        if (target == "AWS::NotificationARNs")
        {
            return "a list";
        }

        if (context.Parameters[target] is JsonObject parameter && IsString(parameter["Type"]))
        {
            var parameterType = parameter["Type"]!.GetValue<string>();
            return parameterType == "CommaDelimitedList" || parameterType.StartsWith("List<", StringComparison.Ordinal)
                ? "a list"
                : "a string";
        }

        return "a string";
    }

    private static bool Accepts(TypeSpec type, string produces) => type switch
    {
        JsonTypeSpec => true,
        UnionTypeSpec union => union.Members.Any(member => Accepts(member, produces)),
        ScalarTypeSpec => produces == "a string",
        ArrayTypeSpec => produces == "a list",
        _ => false,
    };

    private void ValidateUnion(JsonNode value, UnionTypeSpec union, string path, List<string> errors)
    {
        List<string>? closest = null;
        foreach (var member in union.Members)
        {
            var memberErrors = new List<string>();
            Validate(value, member, path, memberErrors);
            if (memberErrors.Count == 0)
            {
                return;
            }

            // Report against the member of the value's own shape (an object against an object type, …).
            if (closest is null || (SameShape(value, member) && !memberErrors.All(error => error.Contains(": expected ", StringComparison.Ordinal))))
            {
                closest = memberErrors;
            }
        }

        errors.AddRange(closest ?? [$"{path}: expected {union.Describe()}, got {Describe(value)}."]);
    }

    private static bool SameShape(JsonNode value, TypeSpec type) => (value, type) switch
    {
        (JsonObject, ObjectTypeSpec or MapTypeSpec or TagTypeSpec) => true,
        (JsonArray, ArrayTypeSpec) => true,
        (JsonValue, ScalarTypeSpec) => true,
        _ => false,
    };

    private static void ValidateScalar(JsonNode value, ScalarTypeSpec scalar, string path, List<string> errors)
    {
        // CloudFormation converts scalars: "30" is a valid number, 30 a valid string, "true" a valid boolean.
        var valid = value is JsonValue && scalar.Kind switch
        {
            ScalarKind.Text => true,
            ScalarKind.Number => IsNumber(value),
            ScalarKind.WholeNumber => IsNumber(value) && decimal.Parse(ScalarText(value), NumberStyles.Float, CultureInfo.InvariantCulture) % 1 == 0,
            ScalarKind.Boolean => ScalarText(value).ToUpperInvariant() is "TRUE" or "FALSE",
            _ => false,
        };
        if (!valid)
        {
            errors.Add($"{path}: expected {scalar.Describe()}, got {Describe(value)}.");
        }
        else if (scalar.AllowedValues.Count > 0 && !scalar.AllowedValues.Contains(ScalarText(value), StringComparer.Ordinal))
        {
            errors.Add($"{path}: '{ScalarText(value)}' is not one of {string.Join(", ", scalar.AllowedValues)}.");
        }
    }

    private void ValidateTag(JsonObject tag, string path, List<string> errors)
    {
        foreach (var (key, value) in tag)
        {
            if (key is "Key" or "Value")
            {
                Validate(value, Text, $"{path}.{key}", errors);
            }
            else
            {
                errors.Add($"{path}.{key}: a tag has only Key and Value.");
            }
        }

        if (!tag.ContainsKey("Key") || !tag.ContainsKey("Value"))
        {
            errors.Add($"{path}: a tag needs Key and Value.");
        }
    }

    private void ValidateObject(JsonObject value, ObjectTypeSpec structure, string path, List<string> errors)
    {
        // A SAM event's Properties depend on its Type: check them against that event type alone.
        var eventProperties = structure.Name == "EventSource" && IsString(value["Type"])
            && structure.Properties["Properties"].Type is UnionTypeSpec union
                ? union.Members.OfType<ObjectTypeSpec>().FirstOrDefault(member => member.Name == value["Type"]!.GetValue<string>() + "Event")
                : null;

        ValidateProperties(value, structure.Name, TypeOf, path, errors);
        ValidateRequired(structure.Properties, structure.Name, path, errors, value);

        TypeSpec? TypeOf(string name) =>
            !structure.Properties.TryGetValue(name, out var spec) ? null
            : name == "Properties" && eventProperties is not null ? eventProperties
            : spec.Type;
    }
}
