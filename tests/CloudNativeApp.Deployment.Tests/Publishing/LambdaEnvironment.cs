namespace CloudNativeApp.Deployment.Tests.Publishing;

/// <summary>
/// The environment serverless.template gives the function, on top of what Lambda sets for every custom runtime
/// (<see cref="LambdaRuntimeApi.LambdaFunctionProcess.LambdaEnvironment"/>).
/// </summary>
public static class LambdaEnvironment
{
    /// <summary>The table name CloudFormation would give the template's ItemsTable.</summary>
    public const string DeployedTableName = "cloudnativeapp-ItemsTable-1Q2W3E4R5T6Y";

    public const string DeployedIdempotencyTableName = "cloudnativeapp-IdempotencyTable-7U8I9O0P1A2S";

    /// <summary>
    /// The function's Environment.Variables (Globals and the function, <c>Ref ItemsTable</c> resolved to
    /// <see cref="DeployedTableName"/>) and the variables Lambda derives from its other settings: the log format
    /// and level from LoggingConfig, the memory size, and X-Ray's with Tracing: Active.
    /// </summary>
    public static Dictionary<string, string> FromTemplate()
    {
        var template = ServerlessTemplate.LoadJson();
        var globals = template["Globals"]!["Function"]!;
        var variables = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["AWS_LAMBDA_LOG_FORMAT"] = globals["LoggingConfig"]!["LogFormat"]!.GetValue<string>(),
            ["AWS_LAMBDA_LOG_LEVEL"] = globals["LoggingConfig"]!["ApplicationLogLevel"]!.GetValue<string>(),
            ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = template["Parameters"]!["MemorySize"]!["Default"]!.ToJsonString(),
        };
        if (globals["Tracing"]?.GetValue<string>() == "Active")
        {
            variables["AWS_XRAY_CONTEXT_MISSING"] = "LOG_ERROR";
            variables["AWS_XRAY_DAEMON_ADDRESS"] = "169.254.79.129:2000";
        }

        foreach (var source in new[] { globals, template["Resources"]?["Function"]?["Properties"] })
        {
            foreach (var (name, value) in source?["Environment"]?["Variables"] as JsonObject ?? [])
            {
                variables[name] = Resolve(template, value) ?? throw new InvalidDataException($"The test does not know how to resolve {name}={value?.ToJsonString()}.");
            }
        }

        return variables;
    }

    /// <summary>
    /// A value as CloudFormation would give it with the parameters' defaults: the two tables' generated names,
    /// parameter references, and <c>Fn::If</c> over the template's conditions.
    /// </summary>
    private static string? Resolve(JsonObject template, JsonNode? value) => value switch
    {
        JsonValue literal => literal.ToString(),
        JsonObject reference when reference["Ref"]?.GetValue<string>() is { } name => name switch
        {
            "ItemsTable" => DeployedTableName,
            "IdempotencyTable" => DeployedIdempotencyTableName,
            _ => template["Parameters"]?[name]?["Default"]?.ToString(),
        },
        JsonObject choice when choice["Fn::If"] is JsonArray { Count: 3 } branches =>
            Resolve(template, IsTrue(template, template["Conditions"]![branches[0]!.GetValue<string>()]) ? branches[1] : branches[2]),
        _ => null,
    };

    private static bool IsTrue(JsonObject template, JsonNode? condition) => condition switch
    {
        JsonObject { Count: 1 } node when node["Fn::Equals"] is JsonArray { Count: 2 } pair => Resolve(template, pair[0]) == Resolve(template, pair[1]),
        JsonObject { Count: 1 } node when node["Fn::And"] is JsonArray all => all.All(part => IsTrue(template, part)),
        JsonObject { Count: 1 } node when node["Fn::Or"] is JsonArray any => any.Any(part => IsTrue(template, part)),
        JsonObject { Count: 1 } node when node["Fn::Not"] is JsonArray { Count: 1 } not => !IsTrue(template, not[0]),
        JsonObject { Count: 1 } node when node["Condition"]?.GetValue<string>() is { } name => IsTrue(template, template["Conditions"]![name]),
        _ => throw new InvalidDataException($"The test does not know how to evaluate the condition {condition?.ToJsonString()}."),
    };

    /// <summary>What the Dockerfile's final stage sets (ENV), for running the image's entry point outside Lambda.</summary>
    public static Dictionary<string, string> FromDockerfile() =>
        Dockerfile.Load().FinalStage.Environment.ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);

    /// <summary>Later sources win.</summary>
    public static Dictionary<string, string?> Merge(params IEnumerable<KeyValuePair<string, string>>[] sources)
    {
        var merged = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (name, value) in sources.SelectMany(source => source))
        {
            merged[name] = value;
        }

        return merged;
    }
}
