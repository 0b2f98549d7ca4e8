using static CloudNativeApp.Deployment.Tests.CloudFormation.TemplateJson;

namespace CloudNativeApp.Deployment.Tests.CloudFormation;

/// <summary>
/// Checks a CloudFormation/SAM template (JSON) against the resource specification without AWS:
/// resource types, property names at every depth, required properties, value types and allowed values,
/// and that every Ref / Fn::GetAtt / Fn::Sub / DependsOn target exists and is created — for every
/// combination of the parameters the template's conditions depend on, so a reference to a resource that
/// a condition leaves out is caught too. SAM's generated resources (ServerlessRestApi, ServerlessHttpApi,
/// &lt;Function&gt;Role, &lt;Api&gt;.Stage) count as targets where SAM creates them.
/// </summary>
/// <remarks>
/// This type checks the template's sections; <see cref="PropertyValueValidator"/> checks the values in them and
/// <see cref="ReferenceScope"/> the references, once per parameter combination.
/// </remarks>
public sealed class TemplateValidator(ResourceSpecification specification)
{
    private static readonly HashSet<string> TemplateSections =
        ["AWSTemplateFormatVersion", "Description", "Transform", "Parameters", "Mappings", "Conditions", "Resources", "Outputs", "Metadata", "Globals", "Rules"];

    private static readonly HashSet<string> ResourceAttributes =
        ["Type", "Properties", "Condition", "DependsOn", "DeletionPolicy", "UpdateReplacePolicy", "Metadata", "CreationPolicy", "UpdatePolicy"];

    private static readonly HashSet<string> DeletionPolicies = ["Delete", "Retain", "RetainExceptOnCreate", "Snapshot"];

    private static readonly HashSet<string> OutputAttributes = ["Description", "Value", "Export", "Condition"];

    private readonly ResourceSpecification _specification = specification;

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
        var values = new PropertyValueValidator(context);
        var errors = new List<string>();

        CheckKeys(template, TemplateSections, "a template section", "", errors);
        ValidateParameters(context, errors);
        ValidateConditionDefinitions(context, errors);
        ValidateGlobals(context, values, errors);
        foreach (var (name, node) in context.Resources)
        {
            ValidateResource(context, values, name, node, errors);
        }

        ValidateOutputs(context, errors);
        ValidateReferences(context, errors);
        return errors.Distinct(StringComparer.Ordinal).ToList();
    }

    private static void ValidateParameters(TemplateContext context, List<string> errors)
    {
        foreach (var (name, node) in context.Parameters)
        {
            var path = $"Parameters.{name}";
            if (node is not JsonObject parameter || !IsString(parameter["Type"]))
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
                CheckConditionName(context, argument, $"{path}.Condition", errors);
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

    private void ValidateGlobals(TemplateContext context, PropertyValueValidator values, List<string> errors)
    {
        foreach (var (section, node) in context.Globals)
        {
            var path = $"Globals.{section}";
            if (!SamTransform.GlobalsSections.TryGetValue(section, out var resourceType))
            {
                errors.Add($"{path}: SAM has no globals for '{section}'.");
            }
            else if (node is not JsonObject properties)
            {
                errors.Add($"{path}: must be an object.");
            }
            else
            {
                var spec = _specification.Find(resourceType)!;
                values.ValidateProperties(properties, resourceType, name => SamTransform.FindProperty(_specification, spec, name)?.Type, path, errors);
            }
        }
    }

    private void ValidateResource(TemplateContext context, PropertyValueValidator values, string name, JsonNode? node, List<string> errors)
    {
        var path = $"Resources.{name}";
        if (node is not JsonObject resource)
        {
            errors.Add($"{path}: must be an object.");
            return;
        }

        CheckKeys(resource, ResourceAttributes, "a resource attribute", $"{path}.", errors);
        if (resource["Condition"] is { } condition)
        {
            CheckConditionName(context, condition, $"{path}.Condition", errors);
        }

        foreach (var policy in new[] { "DeletionPolicy", "UpdateReplacePolicy" })
        {
            if (resource[policy] is { } value && (!IsString(value) || !DeletionPolicies.Contains(value.GetValue<string>())))
            {
                errors.Add($"{path}.{policy}: {value.ToJsonString()} is not Delete, Retain, RetainExceptOnCreate or Snapshot.");
            }
        }

        var type = IsString(resource["Type"]) ? resource["Type"]!.GetValue<string>() : null;
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
        values.ValidateProperties(given, type, property => SamTransform.FindProperty(_specification, spec, property)?.Type, $"{path}.Properties", errors);
        var fromGlobals = SamTransform.GlobalsSectionFor(type) is { } section && context.Globals[section] is JsonObject globals ? globals : [];
        PropertyValueValidator.ValidateRequired(spec.Properties, type, $"{path}.Properties", errors, given, fromGlobals);
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

            CheckKeys(output, OutputAttributes, "an output attribute", $"{path}.", errors);
            if (output["Condition"] is { } condition)
            {
                CheckConditionName(context, condition, $"{path}.Condition", errors);
            }
        }
    }

    /// <summary>
    /// Every reference, once for each parameter combination whose conditions come out differently: parameters reach
    /// the resources only through the conditions (references to them resolve alike), so combinations that make every
    /// condition come out the same would find the same errors.
    /// </summary>
    private void ValidateReferences(TemplateContext context, List<string> errors)
    {
        var combinations = ParameterCombinations.Of(context);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var checkedConditions = new HashSet<string>(StringComparer.Ordinal);
        var sections = new SectionResults(context);
        foreach (var combination in combinations)
        {
            var conditions = new ConditionValues(context, combination);
            if (!checkedConditions.Add(conditions.Signature()))
            {
                continue;
            }

            var found = new List<string>();
            new ReferenceScope(context, conditions, _specification).Check(found, sections);
            foreach (var error in found)
            {
                if (seen.Add(error))
                {
                    errors.Add(combinations.Count > 1 ? $"{error} (with {ParameterCombinations.Describe(combination)})" : error);
                }
            }
        }
    }

    /// <summary>Each key of <paramref name="node"/> is one of <paramref name="allowed"/>; <paramref name="prefix"/> starts each error's path.</summary>
    private static void CheckKeys(JsonObject node, HashSet<string> allowed, string what, string prefix, List<string> errors)
    {
        foreach (var (key, _) in node)
        {
            if (!allowed.Contains(key))
            {
                errors.Add($"{prefix}{key}: not {what}.");
            }
        }
    }

    private static void CheckConditionName(TemplateContext context, JsonNode? name, string path, List<string> errors)
    {
        if (!IsString(name) || !context.Conditions.ContainsKey(name!.GetValue<string>()))
        {
            errors.Add($"{path}: no condition named {name?.ToJsonString()}.");
        }
    }
}
