using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CloudNativeApp.Deployment.Tests.CloudFormation;

/// <summary>
/// Checks a CloudFormation/SAM template (JSON) against the resource specification without AWS:
/// resource types, property names at every depth, required properties, value types and allowed values,
/// and that every Ref / Fn::GetAtt / Fn::Sub / DependsOn target exists and is created — for every
/// combination of the parameters the template's conditions depend on, so a reference to a resource that
/// a condition leaves out is caught too. SAM's generated resources (ServerlessRestApi, ServerlessHttpApi,
/// &lt;Function&gt;Role, &lt;Api&gt;.Stage) count as targets where SAM creates them.
/// </summary>
public sealed partial class TemplateValidator(ResourceSpecification specification)
{
    private readonly ResourceSpecification _specification = specification;

    private static readonly HashSet<string> TemplateSections =
        ["AWSTemplateFormatVersion", "Description", "Transform", "Parameters", "Mappings", "Conditions", "Resources", "Outputs", "Metadata", "Globals", "Rules"];

    private static readonly HashSet<string> ResourceAttributes =
        ["Type", "Properties", "Condition", "DependsOn", "DeletionPolicy", "UpdateReplacePolicy", "Metadata", "CreationPolicy", "UpdatePolicy"];

    private static readonly HashSet<string> DeletionPolicies = ["Delete", "Retain", "RetainExceptOnCreate", "Snapshot"];

    private static readonly HashSet<string> OutputAttributes = ["Description", "Value", "Export", "Condition"];

    private static readonly HashSet<string> PseudoParameters =
        ["AWS::AccountId", "AWS::NotificationARNs", "AWS::NoValue", "AWS::Partition", "AWS::Region", "AWS::StackId", "AWS::StackName", "AWS::URLSuffix"];

    /// <summary>Intrinsic functions that always produce a string.</summary>
    private static readonly HashSet<string> StringFunctions = ["Fn::Sub", "Fn::Join", "Fn::Base64", "Fn::ImportValue", "Fn::ToJsonString"];

    /// <summary>Intrinsic functions that always produce a list.</summary>
    private static readonly HashSet<string> ListFunctions = ["Fn::Split", "Fn::GetAZs", "Fn::Cidr"];

    private static readonly HashSet<string> OtherFunctions = ["Ref", "Fn::GetAtt", "Fn::If", "Fn::Select", "Fn::FindInMap", "Fn::Length"];

    /// <summary>
    /// SAM passes these straight to the AWS::Lambda::Function it generates, but the SAM specification in
    /// aws-service-spec predates them; they are checked against AWS::Lambda::Function's definition instead.
    /// </summary>
    private static readonly string[] SamFunctionPassThroughProperties = ["LoggingConfig", "RuntimeManagementConfig", "SnapStart", "RecursiveLoop"];

    /// <summary>The resource SAM generates under the same logical id, whose attributes Fn::GetAtt reads.</summary>
    private static readonly Dictionary<string, string> SamGeneratedTypes = new(StringComparer.Ordinal)
    {
        ["AWS::Serverless::Function"] = "AWS::Lambda::Function",
        ["AWS::Serverless::Api"] = "AWS::ApiGateway::RestApi",
        ["AWS::Serverless::HttpApi"] = "AWS::ApiGatewayV2::Api",
        ["AWS::Serverless::SimpleTable"] = "AWS::DynamoDB::Table",
        ["AWS::Serverless::LayerVersion"] = "AWS::Lambda::LayerVersion",
        ["AWS::Serverless::StateMachine"] = "AWS::StepFunctions::StateMachine",
        ["AWS::Serverless::Application"] = "AWS::CloudFormation::Stack",
    };

    private static readonly Dictionary<string, string> SamGlobalsSections = new(StringComparer.Ordinal)
    {
        ["Function"] = "AWS::Serverless::Function",
        ["Api"] = "AWS::Serverless::Api",
        ["HttpApi"] = "AWS::Serverless::HttpApi",
        ["SimpleTable"] = "AWS::Serverless::SimpleTable",
        ["LayerVersion"] = "AWS::Serverless::LayerVersion",
        ["StateMachine"] = "AWS::Serverless::StateMachine",
    };

    private const int MaxParameterCombinations = 1 << 18;

    public IReadOnlyList<string> Validate(string templateJson) =>
        Validate(JsonNode.Parse(templateJson) as JsonObject ?? throw new ArgumentException("A template is a JSON object.", nameof(templateJson)));

    /// <summary>The resources <paramref name="template"/> creates with <paramref name="parameters"/> (defaults for the rest).</summary>
    public static IReadOnlySet<string> ResourcesCreated(JsonObject template, IReadOnlyDictionary<string, string> parameters)
    {
        ArgumentNullException.ThrowIfNull(template);
        var context = new TemplateContext(template);
        var conditions = new ConditionValues(context, parameters);
        return context.Resources
            .Where(resource => resource.Value?["Condition"] is not { } condition || conditions.Holds(condition.GetValue<string>()))
            .Select(resource => resource.Key)
            .ToHashSet(StringComparer.Ordinal);
    }

    public IReadOnlyList<string> Validate(JsonObject template)
    {
        ArgumentNullException.ThrowIfNull(template);
        var context = new TemplateContext(template);
        var errors = new List<string>();

        foreach (var (section, _) in template)
        {
            if (!TemplateSections.Contains(section))
            {
                errors.Add($"{section}: not a template section.");
            }
        }

        ValidateParameters(context, errors);
        ValidateConditionDefinitions(context, errors);
        ValidateGlobals(context, errors);
        foreach (var (name, node) in context.Resources)
        {
            ValidateResource(context, name, node, errors);
        }

        ValidateOutputs(context, errors);
        ValidateReferences(context, errors);
        return errors.Distinct(StringComparer.Ordinal).ToList();
    }

    // ---------------------------------------------------------------- sections

    private static void ValidateParameters(TemplateContext context, List<string> errors)
    {
        foreach (var (name, node) in context.Parameters)
        {
            var path = $"Parameters.{name}";
            if (node is not JsonObject parameter || parameter["Type"]?.GetValueKind() != JsonValueKind.String)
            {
                errors.Add($"{path}: a parameter needs a Type.");
                continue;
            }

            var type = parameter["Type"]!.GetValue<string>();
            if (!IsParameterType(type))
            {
                errors.Add($"{path}.Type: '{type}' is not a CloudFormation parameter type.");
            }

            if (parameter["Default"] is { } defaultValue && parameter["AllowedValues"] is JsonArray allowed
                && !allowed.Any(value => ScalarText(value) == ScalarText(defaultValue)))
            {
                errors.Add($"{path}.Default: '{ScalarText(defaultValue)}' is not one of its AllowedValues.");
            }

            if (type == "Number" && parameter["Default"] is { } numberDefault && !IsNumber(numberDefault))
            {
                errors.Add($"{path}.Default: '{ScalarText(numberDefault)}' is not a number.");
            }
        }
    }

    private static bool IsParameterType(string type) =>
        type is "String" or "Number" or "CommaDelimitedList" or "List<Number>"
        || (type.StartsWith("AWS::", StringComparison.Ordinal) && type.Count(c => c == ':') >= 4)
        || (type.StartsWith("List<AWS::", StringComparison.Ordinal) && type.EndsWith('>'))
        || type.StartsWith("AWS::SSM::Parameter::Value<", StringComparison.Ordinal);

    private static void ValidateConditionDefinitions(TemplateContext context, List<string> errors)
    {
        foreach (var (name, definition) in context.Conditions)
        {
            ValidateConditionExpression(context, definition, $"Conditions.{name}", errors);
        }
    }

    private static void ValidateConditionExpression(TemplateContext context, JsonNode? node, string path, List<string> errors)
    {
        if (node is not JsonObject { Count: 1 } expression)
        {
            errors.Add($"{path}: a condition is one of Fn::Equals, Fn::And, Fn::Or, Fn::Not or Condition.");
            return;
        }

        var (function, argument) = expression.First();
        switch (function)
        {
            case "Condition":
                if (argument?.GetValueKind() != JsonValueKind.String || !context.Conditions.ContainsKey(argument.GetValue<string>()))
                {
                    errors.Add($"{path}.Condition: no condition named {argument?.ToJsonString()}.");
                }

                break;
            case "Fn::Equals" when argument is JsonArray { Count: 2 }:
                break;
            case "Fn::Not" when argument is JsonArray { Count: 1 } single:
                ValidateConditionExpression(context, single[0], $"{path}.Fn::Not[0]", errors);
                break;
            case "Fn::And" or "Fn::Or" when argument is JsonArray { Count: >= 2 and <= 10 } operands:
                for (var i = 0; i < operands.Count; i++)
                {
                    ValidateConditionExpression(context, operands[i], $"{path}.{function}[{i}]", errors);
                }

                break;
            default:
                errors.Add($"{path}: '{function}' with these arguments is not a condition function.");
                break;
        }
    }

    private void ValidateGlobals(TemplateContext context, List<string> errors)
    {
        foreach (var (section, node) in context.Globals)
        {
            if (!SamGlobalsSections.TryGetValue(section, out var resourceType))
            {
                errors.Add($"Globals.{section}: SAM has no globals for '{section}'.");
                continue;
            }

            if (node is not JsonObject properties)
            {
                errors.Add($"Globals.{section}: must be an object.");
                continue;
            }

            var spec = _specification.Find(resourceType)!;
            foreach (var (name, value) in properties)
            {
                if (FindProperty(spec, name) is { } property)
                {
                    ValidateValue(context, value, property.Type, $"Globals.{section}.{name}", errors);
                }
                else
                {
                    errors.Add($"Globals.{section}.{name}: {resourceType} has no property '{name}'.");
                }
            }
        }
    }

    private void ValidateResource(TemplateContext context, string name, JsonNode? node, List<string> errors)
    {
        var path = $"Resources.{name}";
        if (node is not JsonObject resource)
        {
            errors.Add($"{path}: must be an object.");
            return;
        }

        foreach (var (attribute, _) in resource)
        {
            if (!ResourceAttributes.Contains(attribute))
            {
                errors.Add($"{path}.{attribute}: not a resource attribute.");
            }
        }

        if (resource["Condition"] is { } condition
            && (condition.GetValueKind() != JsonValueKind.String || !context.Conditions.ContainsKey(condition.GetValue<string>())))
        {
            errors.Add($"{path}.Condition: no condition named {condition.ToJsonString()}.");
        }

        foreach (var policy in new[] { "DeletionPolicy", "UpdateReplacePolicy" })
        {
            if (resource[policy] is { } value && (value.GetValueKind() != JsonValueKind.String || !DeletionPolicies.Contains(value.GetValue<string>())))
            {
                errors.Add($"{path}.{policy}: {value.ToJsonString()} is not Delete, Retain, RetainExceptOnCreate or Snapshot.");
            }
        }

        var type = resource["Type"]?.GetValueKind() == JsonValueKind.String ? resource["Type"]!.GetValue<string>() : null;
        if (type is null)
        {
            errors.Add($"{path}: a resource needs a Type.");
            return;
        }

        if (type.StartsWith("Custom::", StringComparison.Ordinal) || type == "AWS::CloudFormation::CustomResource")
        {
            return; // Custom resources take any properties but ServiceToken, which CloudFormation itself checks.
        }

        var spec = _specification.Find(type);
        if (spec is null)
        {
            errors.Add($"{path}.Type: '{type}' is not a CloudFormation resource type.");
            return;
        }

        var properties = resource["Properties"];
        if (properties is not null and not JsonObject)
        {
            errors.Add($"{path}.Properties: must be an object.");
            return;
        }

        var given = properties as JsonObject ?? [];
        foreach (var (propertyName, value) in given)
        {
            if (FindProperty(spec, propertyName) is { } property)
            {
                ValidateValue(context, value, property.Type, $"{path}.Properties.{propertyName}", errors);
            }
            else
            {
                errors.Add($"{path}.Properties.{propertyName}: {type} has no property '{propertyName}'.");
            }
        }

        var fromGlobals = SamGlobalsSections.FirstOrDefault(pair => pair.Value == type).Key is { } section && context.Globals[section] is JsonObject globals
            ? globals
            : [];
        foreach (var (propertyName, property) in spec.Properties)
        {
            if (property.Required && !given.ContainsKey(propertyName) && !fromGlobals.ContainsKey(propertyName))
            {
                errors.Add($"{path}.Properties: {type} requires '{propertyName}'.");
            }
        }
    }

    private PropertySpec? FindProperty(ResourceTypeSpec spec, string name)
    {
        if (spec.Properties.TryGetValue(name, out var property))
        {
            return property;
        }

        if (spec.Name == "AWS::Serverless::Function" && name == "CapacityProviderConfig")
        {
            return SamCapacityProviderConfig;
        }

        return spec.Name == "AWS::Serverless::Function" && SamFunctionPassThroughProperties.Contains(name)
            ? _specification.Find("AWS::Lambda::Function")!.Properties[name]
            : null;
    }

    /// <summary>
    /// SAM's <c>CapacityProviderConfig</c> (Lambda Managed Instances), newer than the SAM specification in
    /// @aws-cdk/aws-service-spec and shaped unlike CloudFormation's (SAM wraps it into
    /// <c>LambdaManagedInstancesCapacityProviderConfig</c>): <c>Arn</c> (required),
    /// <c>ExecutionEnvironmentMemoryGiBPerVCpu</c> (2, 4 or 8), <c>PerExecutionEnvironmentMaxConcurrency</c> (integer),
    /// as documented in the SAM developer guide (sam-property-function-capacityproviderconfig).
    /// </summary>
    private static readonly PropertySpec SamCapacityProviderConfig = new(CreateSamCapacityProviderConfig(), Required: false);

    private static ObjectTypeSpec CreateSamCapacityProviderConfig()
    {
        var config = new ObjectTypeSpec("CapacityProviderConfig");
        config.Properties["Arn"] = new PropertySpec(new ScalarTypeSpec(ScalarKind.Text, []), Required: true);
        config.Properties["ExecutionEnvironmentMemoryGiBPerVCpu"] = new PropertySpec(new ScalarTypeSpec(ScalarKind.Number, ["2", "4", "8"]), Required: false);
        config.Properties["PerExecutionEnvironmentMaxConcurrency"] = new PropertySpec(new ScalarTypeSpec(ScalarKind.WholeNumber, []), Required: false);
        return config;
    }

    private static void ValidateOutputs(TemplateContext context, List<string> errors)
    {
        foreach (var (name, node) in context.Outputs)
        {
            var path = $"Outputs.{name}";
            if (node is not JsonObject output || !output.ContainsKey("Value"))
            {
                errors.Add($"{path}: an output needs a Value.");
                continue;
            }

            foreach (var (attribute, _) in output)
            {
                if (!OutputAttributes.Contains(attribute))
                {
                    errors.Add($"{path}.{attribute}: not an output attribute.");
                }
            }

            if (output["Condition"] is { } condition
                && (condition.GetValueKind() != JsonValueKind.String || !context.Conditions.ContainsKey(condition.GetValue<string>())))
            {
                errors.Add($"{path}.Condition: no condition named {condition.ToJsonString()}.");
            }
        }
    }

    // ---------------------------------------------------------------- property values

    private void ValidateValue(TemplateContext context, JsonNode? value, TypeSpec type, string path, List<string> errors)
    {
        if (value is null)
        {
            errors.Add($"{path}: null is not a value CloudFormation accepts.");
            return;
        }

        if (TryGetIntrinsic(value, out var function, out var argument))
        {
            ValidateIntrinsicResult(context, function, argument, type, path, errors);
            return;
        }

        switch (type)
        {
            case JsonTypeSpec:
                return;
            case UnionTypeSpec union:
                ValidateUnion(context, value, union, path, errors);
                return;
            case ScalarTypeSpec scalar:
                ValidateScalar(value, scalar, path, errors);
                return;
            case ArrayTypeSpec array when value is JsonArray items:
                for (var i = 0; i < items.Count; i++)
                {
                    ValidateValue(context, items[i], array.Element, $"{path}[{i}]", errors);
                }

                return;
            case MapTypeSpec map when value is JsonObject entries:
                foreach (var (key, entry) in entries)
                {
                    ValidateValue(context, entry, map.Element, $"{path}.{key}", errors);
                }

                return;
            case TagTypeSpec when value is JsonObject tag:
                ValidateTag(context, tag, path, errors);
                return;
            case ObjectTypeSpec structure when value is JsonObject properties:
                ValidateObject(context, properties, structure, path, errors);
                return;
            default:
                errors.Add($"{path}: expected {type.Describe()}, got {Describe(value)}.");
                return;
        }
    }

    private void ValidateIntrinsicResult(TemplateContext context, string function, JsonNode? argument, TypeSpec type, string path, List<string> errors)
    {
        if (!StringFunctions.Contains(function) && !ListFunctions.Contains(function) && !OtherFunctions.Contains(function))
        {
            errors.Add($"{path}: '{function}' is not an intrinsic function.");
            return;
        }

        if (function == "Fn::If")
        {
            if (argument is not JsonArray { Count: 3 } branches || branches[0]?.GetValueKind() != JsonValueKind.String)
            {
                errors.Add($"{path}.Fn::If: takes [condition name, value if true, value if false].");
                return;
            }

            if (!context.Conditions.ContainsKey(branches[0]!.GetValue<string>()))
            {
                errors.Add($"{path}.Fn::If: no condition named '{branches[0]!.GetValue<string>()}'.");
            }

            for (var i = 1; i <= 2; i++)
            {
                if (!IsNoValue(branches[i]))
                {
                    ValidateValue(context, branches[i], type, $"{path}.Fn::If[{i}]", errors);
                }
            }

            return;
        }

        var produces = function switch
        {
            _ when StringFunctions.Contains(function) => "a string",
            _ when ListFunctions.Contains(function) => "a list",
            "Ref" => RefProduces(context, argument),
            _ => null, // Fn::GetAtt, Fn::Select, Fn::FindInMap: depends on the target.
        };
        if (produces is not null && !Accepts(type, produces))
        {
            errors.Add($"{path}: expected {type.Describe()}, but {function} gives {produces}.");
        }
    }

    private static string? RefProduces(TemplateContext context, JsonNode? argument)
    {
        if (argument?.GetValueKind() != JsonValueKind.String)
        {
            return null;
        }

        var target = argument.GetValue<string>();
        if (target == "AWS::NotificationARNs")
        {
            return "a list";
        }

        if (context.Parameters[target] is JsonObject parameter && parameter["Type"]?.GetValueKind() == JsonValueKind.String)
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

    private void ValidateUnion(TemplateContext context, JsonNode value, UnionTypeSpec union, string path, List<string> errors)
    {
        List<string>? closest = null;
        foreach (var member in union.Members)
        {
            var memberErrors = new List<string>();
            ValidateValue(context, value, member, path, memberErrors);
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
        if (value is not JsonValue)
        {
            errors.Add($"{path}: expected {scalar.Describe()}, got {Describe(value)}.");
            return;
        }

        // CloudFormation converts scalars: "30" is a valid number, 30 a valid string, "true" a valid boolean.
        var valid = scalar.Kind switch
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

    private void ValidateTag(TemplateContext context, JsonObject tag, string path, List<string> errors)
    {
        var text = new ScalarTypeSpec(ScalarKind.Text, []);
        foreach (var (key, value) in tag)
        {
            if (key is "Key" or "Value")
            {
                ValidateValue(context, value, text, $"{path}.{key}", errors);
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

    private void ValidateObject(TemplateContext context, JsonObject value, ObjectTypeSpec structure, string path, List<string> errors)
    {
        // A SAM event's Properties depend on its Type: check them against that event type alone.
        var eventProperties = structure.Name == "EventSource" && value["Type"]?.GetValueKind() == JsonValueKind.String
            && structure.Properties["Properties"].Type is UnionTypeSpec union
                ? union.Members.OfType<ObjectTypeSpec>().FirstOrDefault(member => member.Name == value["Type"]!.GetValue<string>() + "Event")
                : null;

        foreach (var (name, property) in value)
        {
            if (!structure.Properties.TryGetValue(name, out var spec))
            {
                errors.Add($"{path}.{name}: {structure.Name} has no property '{name}'.");
            }
            else if (name == "Properties" && eventProperties is not null)
            {
                ValidateValue(context, property, eventProperties, $"{path}.{name}", errors);
            }
            else
            {
                ValidateValue(context, property, spec.Type, $"{path}.{name}", errors);
            }
        }

        foreach (var (name, spec) in structure.Properties)
        {
            if (spec.Required && !value.ContainsKey(name))
            {
                errors.Add($"{path}: {structure.Name} requires '{name}'.");
            }
        }
    }

    // ---------------------------------------------------------------- references, per parameter combination

    private void ValidateReferences(TemplateContext context, List<string> errors)
    {
        var combinations = ParameterCombinations(context);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var checkedConditions = new HashSet<string>(StringComparer.Ordinal);
        var sections = new SectionResults(context);
        foreach (var combination in combinations)
        {
            // Parameters reach the resources only through the conditions (references to them resolve alike), so
            // combinations that make every condition come out the same would find the same errors.
            if (!checkedConditions.Add(new ConditionValues(context, combination).Signature()))
            {
                continue;
            }

            var scope = new ReferenceScope(context, combination, this);
            var found = new List<string>();
            scope.Check(found, sections);
            foreach (var error in found)
            {
                if (seen.Add(error))
                {
                    errors.Add(combinations.Count > 1 ? $"{error} (with {Describe(combination)})" : error);
                }
            }
        }
    }

    private static string Describe(IReadOnlyDictionary<string, string> combination) =>
        string.Join(", ", combination.Select(pair => $"{pair.Key}='{pair.Value}'"));

    /// <summary>
    /// Every combination of values for the parameters the conditions compare: their AllowedValues, or the
    /// literals they are compared with plus one value equal to none of them.
    /// </summary>
    private static List<Dictionary<string, string>> ParameterCombinations(TemplateContext context)
    {
        var domains = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var (_, definition) in context.Conditions)
        {
            CollectComparisons(context, definition, domains);
        }

        List<Dictionary<string, string>> combinations = [new(StringComparer.Ordinal)];
        foreach (var (parameter, values) in domains.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            if (context.Parameters[parameter] is JsonObject { } definition && definition["AllowedValues"] is JsonArray allowed)
            {
                values.Clear();
                values.UnionWith(allowed.Select(ScalarText));
            }
            else
            {
                values.Add("<any other value>");
            }

            combinations = [.. combinations.SelectMany(combination => values.Select(value => new Dictionary<string, string>(combination) { [parameter] = value }))];
            if (combinations.Count > MaxParameterCombinations)
            {
                throw new InvalidOperationException($"The conditions depend on more than {MaxParameterCombinations} parameter combinations.");
            }
        }

        return combinations;
    }

    private static void CollectComparisons(TemplateContext context, JsonNode? node, Dictionary<string, HashSet<string>> domains)
    {
        switch (node)
        {
            case JsonObject { Count: 1 } expression when expression.First() is ("Fn::Equals", JsonArray { Count: 2 } sides):
                foreach (var (side, other) in new[] { (sides[0], sides[1]), (sides[1], sides[0]) })
                {
                    if (TryGetIntrinsic(side, out var function, out var target) && function == "Ref"
                        && target?.GetValueKind() == JsonValueKind.String && context.Parameters.ContainsKey(target.GetValue<string>()))
                    {
                        var values = domains.TryGetValue(target.GetValue<string>(), out var existing) ? existing : domains[target.GetValue<string>()] = [];
                        if (other is JsonValue)
                        {
                            values.Add(ScalarText(other));
                        }
                    }
                }

                break;
            case JsonObject expression:
                foreach (var (_, child) in expression)
                {
                    CollectComparisons(context, child, domains);
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    CollectComparisons(context, child, domains);
                }

                break;
        }
    }

    /// <summary>
    /// The errors each template section (a resource, a Globals section, an output) had, by what its check can depend
    /// on: the conditions and resources it names (through Condition, Fn::If, Ref, Fn::GetAtt, Fn::Sub, DependsOn, or
    /// SAM's Name.Stage and NameRole forms). Thousands of combinations differ only in a few sections each.
    /// </summary>
    private sealed class SectionResults(TemplateContext context)
    {
        private readonly Dictionary<string, Input[]?> _inputs = new(StringComparer.Ordinal);
        private readonly Dictionary<string, List<string>> _results = new(StringComparer.Ordinal);

        public readonly record struct Input(string Name, bool IsCondition);

        public void Check(string section, ReferenceScope scope, List<string> errors, Action<List<string>> check)
        {
            if (!_inputs.TryGetValue(section, out var inputs))
            {
                inputs = _inputs[section] = InputsOf(Node(section));
            }

            if (inputs is null)
            {
                check(errors); // names something whose existence this cannot tell (SAM's implicit APIs): always checked
                return;
            }

            var key = section + "|" + string.Concat(inputs.Select(input => scope.Holds(input) ? '1' : '0'));
            if (!_results.TryGetValue(key, out var found))
            {
                found = _results[key] = [];
                check(found);
            }

            errors.AddRange(found);
        }

        private JsonNode? Node(string section)
        {
            var dot = section.IndexOf('.', StringComparison.Ordinal);
            var name = section[(dot + 1)..];
            return section[..dot] switch
            {
                "Resources" => context.Resources[name],
                "Globals" => context.Globals[name],
                _ => context.Outputs[name],
            };
        }

        /// <summary>Every condition and resource a section's strings name; null when one names a SAM implicit API.</summary>
        private Input[]? InputsOf(JsonNode? node)
        {
            var inputs = new HashSet<Input>();
            var names = new List<string>();
            Collect(node, names);
            foreach (var text in names)
            {
                if (text is "ServerlessRestApi" or "ServerlessHttpApi")
                {
                    return null;
                }

                var name = text.Split('.')[0];
                if (context.Conditions.ContainsKey(name))
                {
                    inputs.Add(new Input(name, IsCondition: true));
                }

                if (context.Resources.ContainsKey(name))
                {
                    inputs.Add(new Input(name, IsCondition: false));
                }
                else if (name.EndsWith("Role", StringComparison.Ordinal) && context.Resources.ContainsKey(name[..^4]))
                {
                    inputs.Add(new Input(name[..^4], IsCondition: false));
                }
            }

            return [.. inputs];
        }

        private static void Collect(JsonNode? node, List<string> names)
        {
            switch (node)
            {
                case JsonObject value:
                    foreach (var (_, child) in value)
                    {
                        Collect(child, names);
                    }

                    break;
                case JsonArray array:
                    foreach (var child in array)
                    {
                        Collect(child, names);
                    }

                    break;
                case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                    var text = value.GetValue<string>();
                    names.Add(text);
                    names.AddRange(SubVariable().Matches(text).Select(match => match.Groups[1].Value));
                    break;
            }
        }
    }

    /// <summary>The conditions' values for one parameter combination, each evaluated once.</summary>
    private sealed class ConditionValues(TemplateContext context, IReadOnlyDictionary<string, string> parameters)
    {
        private readonly TemplateContext _context = context;
        private readonly IReadOnlyDictionary<string, string> _parameters = parameters;
        private readonly Dictionary<string, bool> _values = new(StringComparer.Ordinal);

        /// <summary>Which conditions hold, one character per condition.</summary>
        public string Signature() => string.Concat(_context.Conditions.Select(condition => Holds(condition.Key) ? '1' : '0'));

        public bool Holds(string condition)
        {
            if (_values.TryGetValue(condition, out var known))
            {
                return known;
            }

            _values[condition] = false; // Breaks cycles; a cyclic condition is already a template error.
            return _values[condition] = _context.Conditions[condition] is { } definition && Evaluate(definition);
        }

        private bool Evaluate(JsonNode? node)
        {
            if (node is not JsonObject { Count: 1 } expression)
            {
                return false;
            }

            var (function, argument) = expression.First();
            return function switch
            {
                "Condition" => argument?.GetValueKind() == JsonValueKind.String && Holds(argument.GetValue<string>()),
                "Fn::Not" when argument is JsonArray { Count: 1 } single => !Evaluate(single[0]),
                "Fn::And" when argument is JsonArray operands => operands.All(Evaluate),
                "Fn::Or" when argument is JsonArray operands => operands.Any(Evaluate),
                "Fn::Equals" when argument is JsonArray { Count: 2 } sides =>
                    Resolve(sides[0]) is { } left && Resolve(sides[1]) is { } right && left == right,
                _ => false,
            };
        }

        private string? Resolve(JsonNode? node)
        {
            if (node is JsonValue)
            {
                return ScalarText(node);
            }

            if (TryGetIntrinsic(node, out var function, out var argument) && function == "Ref" && argument?.GetValueKind() == JsonValueKind.String)
            {
                var name = argument.GetValue<string>();
                return _parameters.TryGetValue(name, out var value) ? value : ScalarText(_context.Parameters[name]?["Default"]);
            }

            return null;
        }
    }

    /// <summary>One parameter combination: which conditions hold, which resources exist, and whether every reference resolves.</summary>
    private sealed class ReferenceScope
    {
        private readonly TemplateContext _context;
        private readonly TemplateValidator _validator;
        private readonly ConditionValues _conditions;

        /// <summary>Logical id → resource type, for the resources created (SAM's generated ones included).</summary>
        private readonly Dictionary<string, string> _resources = new(StringComparer.Ordinal);

        /// <summary>Declared resources that this combination's conditions leave out.</summary>
        private readonly HashSet<string> _omitted = new(StringComparer.Ordinal);

        /// <summary>SAM's "Logical.Property" references (MyApi.Stage, MyFunction.Alias) that only Ref accepts.</summary>
        private readonly HashSet<string> _samReferences = new(StringComparer.Ordinal);

        public ReferenceScope(TemplateContext context, IReadOnlyDictionary<string, string> parameters, TemplateValidator validator)
        {
            _context = context;
            _conditions = new ConditionValues(context, parameters);
            _validator = validator;
            foreach (var (name, node) in context.Resources)
            {
                if (node is JsonObject resource && resource["Type"]?.GetValueKind() == JsonValueKind.String)
                {
                    if (IsCreated(resource))
                    {
                        _resources[name] = resource["Type"]!.GetValue<string>();
                    }
                    else
                    {
                        _omitted.Add(name);
                    }
                }
            }

            AddSamGeneratedResources();
        }

        /// <summary>Checks every section that exists in this combination; one whose inputs came out the same before is not checked again.</summary>
        public void Check(List<string> errors, SectionResults sections)
        {
            foreach (var (name, node) in _context.Resources)
            {
                if (!_resources.ContainsKey(name) || node is not JsonObject resource)
                {
                    continue;
                }

                sections.Check($"Resources.{name}", this, errors, found =>
                {
                    CheckNode(resource["Properties"], $"Resources.{name}.Properties", found);
                    CheckDependsOn(resource["DependsOn"], $"Resources.{name}.DependsOn", found);
                });
            }

            foreach (var (section, node) in _context.Globals)
            {
                sections.Check($"Globals.{section}", this, errors, found => CheckNode(node, $"Globals.{section}", found));
            }

            foreach (var (name, node) in _context.Outputs)
            {
                if (node is JsonObject output && (output["Condition"] is null || Holds(ScalarText(output["Condition"]))))
                {
                    sections.Check($"Outputs.{name}", this, errors, found =>
                    {
                        CheckNode(output["Value"], $"Outputs.{name}.Value", found);
                        CheckNode(output["Export"], $"Outputs.{name}.Export", found);
                    });
                }
            }
        }

        /// <summary>Whether the named condition holds, or the named resource is created, in this combination.</summary>
        public bool Holds(SectionResults.Input input) =>
            input.IsCondition ? Holds(input.Name) : _resources.ContainsKey(input.Name);

        private bool IsCreated(JsonObject resource) =>
            resource["Condition"] is not { } condition || condition.GetValueKind() != JsonValueKind.String || Holds(condition.GetValue<string>());

        private void AddSamGeneratedResources()
        {
            foreach (var (name, type) in _resources.ToList())
            {
                var properties = _context.Resources[name]?["Properties"] as JsonObject ?? [];
                switch (type)
                {
                    case "AWS::Serverless::Function":
                        if (!properties.ContainsKey("Role") && _context.Globals["Function"]?["Role"] is null)
                        {
                            _resources[$"{name}Role"] = "AWS::IAM::Role";
                        }

                        if (properties.ContainsKey("AutoPublishAlias") || _context.Globals["Function"]?["AutoPublishAlias"] is not null)
                        {
                            _samReferences.Add($"{name}.Alias");
                            _samReferences.Add($"{name}.Version");
                        }

                        foreach (var (_, source) in properties["Events"] as JsonObject ?? [])
                        {
                            var eventType = source?["Type"]?.GetValueKind() == JsonValueKind.String ? source["Type"]!.GetValue<string>() : null;
                            if (eventType == "Api" && source?["Properties"]?["RestApiId"] is null)
                            {
                                _resources["ServerlessRestApi"] = "AWS::Serverless::Api";
                                _samReferences.Add("ServerlessRestApi.Stage");
                                _samReferences.Add("ServerlessRestApi.Deployment");
                            }
                            else if (eventType == "HttpApi" && source?["Properties"]?["ApiId"] is null)
                            {
                                _resources["ServerlessHttpApi"] = "AWS::Serverless::HttpApi";
                                _samReferences.Add("ServerlessHttpApi.Stage");
                            }
                        }

                        break;
                    case "AWS::Serverless::Api":
                        _samReferences.Add($"{name}.Stage");
                        _samReferences.Add($"{name}.Deployment");
                        break;
                    case "AWS::Serverless::HttpApi":
                        _samReferences.Add($"{name}.Stage");
                        break;
                }
            }
        }

        private bool Holds(string condition) => _conditions.Holds(condition);

        private void CheckNode(JsonNode? node, string path, List<string> errors)
        {
            switch (node)
            {
                case JsonArray array:
                    for (var i = 0; i < array.Count; i++)
                    {
                        CheckNode(array[i], $"{path}[{i}]", errors);
                    }

                    return;
                case JsonObject when TryGetIntrinsic(node, out var function, out var argument):
                    CheckIntrinsic(function, argument, $"{path}.{function}", errors);
                    return;
                case JsonObject value:
                    foreach (var (name, child) in value)
                    {
                        CheckNode(child, $"{path}.{name}", errors);
                    }

                    return;
            }
        }

        private void CheckIntrinsic(string function, JsonNode? argument, string path, List<string> errors)
        {
            switch (function)
            {
                case "Ref":
                    if (argument?.GetValueKind() != JsonValueKind.String)
                    {
                        errors.Add($"{path}: Ref takes a logical id or parameter name.");
                    }
                    else
                    {
                        CheckRefTarget(argument.GetValue<string>(), path, errors);
                    }

                    return;
                case "Fn::GetAtt":
                    CheckGetAtt(argument, path, errors);
                    return;
                case "Fn::Sub":
                    CheckSub(argument, path, errors);
                    return;
                case "Fn::If":
                    if (argument is JsonArray { Count: 3 } branches && branches[0]?.GetValueKind() == JsonValueKind.String
                        && _context.Conditions.ContainsKey(branches[0]!.GetValue<string>()))
                    {
                        var branch = Holds(branches[0]!.GetValue<string>()) ? 1 : 2;
                        CheckNode(branches[branch], $"{path}[{branch}]", errors);
                    }

                    return; // A malformed Fn::If is reported by the schema check.
                case "Fn::FindInMap":
                    if (argument is JsonArray { Count: 3 } lookup && lookup[0]?.GetValueKind() == JsonValueKind.String
                        && _context.Template["Mappings"]?[lookup[0]!.GetValue<string>()] is null)
                    {
                        errors.Add($"{path}: no mapping named '{lookup[0]!.GetValue<string>()}'.");
                    }

                    CheckNode(argument, path, errors);
                    return;
                default:
                    CheckNode(argument, path, errors);
                    return;
            }
        }

        private void CheckRefTarget(string target, string path, List<string> errors)
        {
            if (PseudoParameters.Contains(target) || _context.Parameters.ContainsKey(target) || _resources.ContainsKey(target) || _samReferences.Contains(target))
            {
                return;
            }

            errors.Add(_omitted.Contains(target) || _omitted.Contains(target.Split('.')[0])
                ? $"{path}: '{target}' is not created under these conditions."
                : $"{path}: no parameter or resource named '{target}'.");
        }

        private void CheckGetAtt(JsonNode? argument, string path, List<string> errors)
        {
            string? resource = null;
            JsonNode? attribute = null;
            if (argument is JsonArray { Count: 2 } pair && pair[0]?.GetValueKind() == JsonValueKind.String)
            {
                resource = pair[0]!.GetValue<string>();
                attribute = pair[1];
            }
            else if (argument?.GetValueKind() == JsonValueKind.String && argument.GetValue<string>().IndexOf('.', StringComparison.Ordinal) is > 0 and var dot)
            {
                resource = argument.GetValue<string>()[..dot];
                attribute = JsonValue.Create(argument.GetValue<string>()[(dot + 1)..]);
            }

            if (resource is null)
            {
                errors.Add($"{path}: Fn::GetAtt takes [logical id, attribute].");
                return;
            }

            if (!_resources.TryGetValue(resource, out var type))
            {
                errors.Add(_omitted.Contains(resource)
                    ? $"{path}: '{resource}' is not created under these conditions."
                    : $"{path}: no resource named '{resource}'.");
                return;
            }

            if (attribute?.GetValueKind() != JsonValueKind.String)
            {
                CheckNode(attribute, path, errors); // An attribute name computed by Ref/Fn::Sub: its own references still count.
                return;
            }

            var name = attribute.GetValue<string>();
            var attributesOf = SamGeneratedTypes.GetValueOrDefault(type, type);
            if (attributesOf.StartsWith("Custom::", StringComparison.Ordinal) || attributesOf is "AWS::CloudFormation::CustomResource"
                || (attributesOf == "AWS::CloudFormation::Stack" && name.StartsWith("Outputs.", StringComparison.Ordinal)))
            {
                return;
            }

            if (_validator._specification.Find(attributesOf) is { } spec && !spec.Attributes.Contains(name))
            {
                errors.Add($"{path}: {type} '{resource}' has no attribute '{name}' (it has {string.Join(", ", spec.Attributes.Order(StringComparer.Ordinal))}).");
            }
        }

        private void CheckSub(JsonNode? argument, string path, List<string> errors)
        {
            string text;
            var variables = new HashSet<string>(StringComparer.Ordinal);
            if (argument?.GetValueKind() == JsonValueKind.String)
            {
                text = argument.GetValue<string>();
            }
            else if (argument is JsonArray { Count: 2 } pair && pair[0]?.GetValueKind() == JsonValueKind.String && pair[1] is JsonObject map)
            {
                text = pair[0]!.GetValue<string>();
                foreach (var (name, value) in map)
                {
                    variables.Add(name);
                    CheckNode(value, $"{path}[1].{name}", errors);
                }
            }
            else
            {
                errors.Add($"{path}: Fn::Sub takes a string or [string, {{variables}}].");
                return;
            }

            foreach (Match match in SubVariable().Matches(text))
            {
                var variable = match.Groups[1].Value.Trim();
                if (variable.StartsWith('!') || variables.Contains(variable))
                {
                    continue;
                }

                if (variable.Contains('.', StringComparison.Ordinal) && !_samReferences.Contains(variable))
                {
                    CheckGetAtt(JsonValue.Create(variable), $"{path} ${{{variable}}}", errors);
                }
                else
                {
                    CheckRefTarget(variable, $"{path} ${{{variable}}}", errors);
                }
            }
        }

        private void CheckDependsOn(JsonNode? node, string path, List<string> errors)
        {
            var targets = node switch
            {
                null => [],
                JsonArray array => array.Select(ScalarText),
                _ => [ScalarText(node)],
            };
            foreach (var target in targets)
            {
                if (!_resources.ContainsKey(target))
                {
                    errors.Add(_omitted.Contains(target)
                        ? $"{path}: '{target}' is not created under these conditions."
                        : $"{path}: no resource named '{target}'.");
                }
            }
        }
    }

    [GeneratedRegex(@"\$\{([^}]*)\}")]
    private static partial Regex SubVariable();

    // ---------------------------------------------------------------- helpers

    private static bool TryGetIntrinsic(JsonNode? node, out string function, out JsonNode? argument)
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

    private static bool IsNoValue(JsonNode? node) =>
        TryGetIntrinsic(node, out var function, out var argument) && function == "Ref"
        && argument?.GetValueKind() == JsonValueKind.String && argument.GetValue<string>() == "AWS::NoValue";

    private static bool IsNumber(JsonNode value) =>
        value is JsonValue && value.GetValueKind() is JsonValueKind.Number or JsonValueKind.String
        && decimal.TryParse(ScalarText(value), NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    private static string ScalarText(JsonNode? value) => value switch
    {
        null => "",
        JsonValue when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        _ => value.ToJsonString(),
    };

    private static string Describe(JsonNode value) => value switch
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

    /// <summary>The template's sections, each an empty object when absent.</summary>
    private sealed class TemplateContext(JsonObject template)
    {
        public JsonObject Template { get; } = template;

        public JsonObject Parameters { get; } = template[nameof(Parameters)] as JsonObject ?? [];

        public JsonObject Conditions { get; } = template[nameof(Conditions)] as JsonObject ?? [];

        public JsonObject Resources { get; } = template[nameof(Resources)] as JsonObject ?? [];

        public JsonObject Outputs { get; } = template[nameof(Outputs)] as JsonObject ?? [];

        public JsonObject Globals { get; } = template[nameof(Globals)] as JsonObject ?? [];
    }
}
