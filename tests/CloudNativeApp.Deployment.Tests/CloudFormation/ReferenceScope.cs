using static CloudNativeApp.Deployment.Tests.CloudFormation.TemplateJson;

namespace CloudNativeApp.Deployment.Tests.CloudFormation;

/// <summary>One parameter combination: which conditions hold, which resources exist, and whether every reference resolves.</summary>
internal sealed class ReferenceScope
{
    private static readonly HashSet<string> PseudoParameters =
        ["AWS::AccountId", "AWS::NotificationARNs", "AWS::NoValue", "AWS::Partition", "AWS::Region", "AWS::StackId", "AWS::StackName", "AWS::URLSuffix"];

    private readonly TemplateContext _context;
    private readonly ResourceSpecification _specification;
    private readonly ConditionValues _conditions;

    /// <summary>Logical id → resource type, for the resources created (SAM's generated ones included).</summary>
    private readonly Dictionary<string, string> _resources = new(StringComparer.Ordinal);

    /// <summary>Declared resources that this combination's conditions leave out.</summary>
    private readonly HashSet<string> _omitted = new(StringComparer.Ordinal);

    /// <summary>SAM's "Logical.Property" references (MyApi.Stage, MyFunction.Alias) that only Ref accepts.</summary>
    private readonly HashSet<string> _samReferences = new(StringComparer.Ordinal);

    public ReferenceScope(TemplateContext context, ConditionValues conditions, ResourceSpecification specification)
    {
        _context = context;
        _conditions = conditions;
        _specification = specification;
        foreach (var (name, node) in context.Resources)
        {
            if (node is JsonObject resource && IsString(resource["Type"]))
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

        SamTransform.AddGeneratedResources(context, _resources, _samReferences);
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
        resource["Condition"] is not { } condition || !IsString(condition) || Holds(condition.GetValue<string>());

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
                if (!IsString(argument))
                {
                    errors.Add($"{path}: Ref takes a logical id or parameter name.");
                }
                else
                {
                    CheckRefTarget(argument!.GetValue<string>(), path, errors);
                }

                return;
            case "Fn::GetAtt":
                CheckGetAtt(argument, path, errors);
                return;
            case "Fn::Sub":
                CheckSub(argument, path, errors);
                return;
            case "Fn::If":
                if (argument is JsonArray { Count: 3 } branches && IsString(branches[0])
                    && _context.Conditions.ContainsKey(branches[0]!.GetValue<string>()))
                {
                    var branch = Holds(branches[0]!.GetValue<string>()) ? 1 : 2;
                    CheckNode(branches[branch], $"{path}[{branch}]", errors);
                }

                return; // A malformed Fn::If is reported by the schema check.
            case "Fn::FindInMap":
                if (argument is JsonArray { Count: 3 } lookup && IsString(lookup[0])
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
            ? NotCreated(path, target)
            : $"{path}: no parameter or resource named '{target}'.");
    }

    private void CheckGetAtt(JsonNode? argument, string path, List<string> errors)
    {
        string? resource = null;
        JsonNode? attribute = null;
        if (argument is JsonArray { Count: 2 } pair && IsString(pair[0]))
        {
            resource = pair[0]!.GetValue<string>();
            attribute = pair[1];
        }
        else if (IsString(argument) && argument!.GetValue<string>().IndexOf('.', StringComparison.Ordinal) is > 0 and var dot)
        {
            resource = argument.GetValue<string>()[..dot];
            attribute = JsonValue.Create(argument.GetValue<string>()[(dot + 1)..]);
        }

        if (resource is null)
        {
            errors.Add($"{path}: Fn::GetAtt takes [logical id, attribute].");
            return;
        }

        if (!CheckCreated(resource, path, errors))
        {
            return;
        }

        if (!IsString(attribute))
        {
            CheckNode(attribute, path, errors); // An attribute name computed by Ref/Fn::Sub: its own references still count.
            return;
        }

        var type = _resources[resource];
        var name = attribute!.GetValue<string>();
        var attributesOf = SamTransform.AttributesOf(type);
        if (attributesOf.StartsWith("Custom::", StringComparison.Ordinal) || attributesOf is "AWS::CloudFormation::CustomResource"
            || (attributesOf == "AWS::CloudFormation::Stack" && name.StartsWith("Outputs.", StringComparison.Ordinal)))
        {
            return;
        }

        if (_specification.Find(attributesOf) is { } spec && !spec.Attributes.Contains(name))
        {
            errors.Add($"{path}: {type} '{resource}' has no attribute '{name}' (it has {string.Join(", ", spec.Attributes.Order(StringComparer.Ordinal))}).");
        }
    }

    private void CheckSub(JsonNode? argument, string path, List<string> errors)
    {
        string text;
        var variables = new HashSet<string>(StringComparer.Ordinal);
        if (IsString(argument))
        {
            text = argument!.GetValue<string>();
        }
        else if (argument is JsonArray { Count: 2 } pair && IsString(pair[0]) && pair[1] is JsonObject map)
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
            CheckCreated(target, path, errors);
        }
    }

    /// <summary>Whether <paramref name="resource"/> is created in this combination; reports it when not.</summary>
    private bool CheckCreated(string resource, string path, List<string> errors)
    {
        if (_resources.ContainsKey(resource))
        {
            return true;
        }

        errors.Add(_omitted.Contains(resource) ? NotCreated(path, resource) : $"{path}: no resource named '{resource}'.");
        return false;
    }

    private static string NotCreated(string path, string target) => $"{path}: '{target}' is not created under these conditions.";
}
