using static CloudNativeApp.Deployment.Tests.CloudFormation.TemplateJson;

namespace CloudNativeApp.Deployment.Tests.CloudFormation;

/// <summary>
/// Every combination of values for the parameters the conditions compare: their AllowedValues, or the
/// literals they are compared with plus one value equal to none of them.
/// </summary>
internal static class ParameterCombinations
{
    private const int MaxCombinations = 1 << 18;

    public static List<Dictionary<string, string>> Of(TemplateContext context)
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
            if (combinations.Count > MaxCombinations)
            {
                throw new InvalidOperationException($"The conditions depend on more than {MaxCombinations} parameter combinations.");
            }
        }

        return combinations;
    }

    public static string Describe(IReadOnlyDictionary<string, string> combination) =>
        string.Join(", ", combination.Select(pair => $"{pair.Key}='{pair.Value}'"));

    private static void CollectComparisons(TemplateContext context, JsonNode? node, Dictionary<string, HashSet<string>> domains)
    {
        switch (node)
        {
            case JsonObject { Count: 1 } expression when expression.First() is ("Fn::Equals", JsonArray { Count: 2 } sides):
                foreach (var (side, other) in new[] { (sides[0], sides[1]), (sides[1], sides[0]) })
                {
                    if (RefTarget(side) is { } parameter && context.Parameters.ContainsKey(parameter))
                    {
                        var values = domains.TryGetValue(parameter, out var existing) ? existing : domains[parameter] = [];
                        if (other is JsonValue)
                        {
                            values.Add(ScalarText(other));
                        }
                    }
                }

                break;
            default:
                foreach (var child in Children(node))
                {
                    CollectComparisons(context, child, domains);
                }

                break;
        }
    }
}
