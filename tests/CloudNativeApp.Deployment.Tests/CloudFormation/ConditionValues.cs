using static CloudNativeApp.Deployment.Tests.CloudFormation.TemplateJson;

namespace CloudNativeApp.Deployment.Tests.CloudFormation;

/// <summary>The conditions' values for one parameter combination (defaults for the rest), each evaluated once.</summary>
internal sealed class ConditionValues(TemplateContext context, IReadOnlyDictionary<string, string> parameters)
{
    private readonly Dictionary<string, bool> _values = new(StringComparer.Ordinal);

    /// <summary>Which conditions hold, one character per condition.</summary>
    public string Signature() => string.Concat(context.Conditions.Select(condition => Holds(condition.Key) ? '1' : '0'));

    public bool Holds(string condition)
    {
        if (_values.TryGetValue(condition, out var known))
        {
            return known;
        }

        _values[condition] = false; // Breaks cycles; a cyclic condition is already a template error.
        return _values[condition] = context.Conditions[condition] is { } definition && Evaluate(definition);
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
            "Condition" => IsString(argument) && Holds(argument!.GetValue<string>()),
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

        return RefTarget(node) is { } name
            ? parameters.TryGetValue(name, out var value) ? value : ScalarText(context.Parameters[name]?["Default"])
            : null;
    }
}
