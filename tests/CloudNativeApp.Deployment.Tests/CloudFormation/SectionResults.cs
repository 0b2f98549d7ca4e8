using static CloudNativeApp.Deployment.Tests.CloudFormation.TemplateJson;

namespace CloudNativeApp.Deployment.Tests.CloudFormation;

/// <summary>
/// The errors each template section (a resource, a Globals section, an output) had, by what its check can depend
/// on: the conditions and resources it names (through Condition, Fn::If, Ref, Fn::GetAtt, Fn::Sub, DependsOn, or
/// SAM's Name.Stage and NameRole forms). Thousands of combinations differ only in a few sections each.
/// </summary>
internal sealed class SectionResults(TemplateContext context)
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
        CollectStrings(node, names);
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

    /// <summary>Every string below <paramref name="node"/>, and the variables of each as an Fn::Sub string.</summary>
    private static void CollectStrings(JsonNode? node, List<string> names)
    {
        if (IsString(node))
        {
            var text = node!.GetValue<string>();
            names.Add(text);
            names.AddRange(SubVariable().Matches(text).Select(match => match.Groups[1].Value));
            return;
        }

        foreach (var child in Children(node))
        {
            CollectStrings(child, names);
        }
    }
}
