using System.Globalization;
using System.Text.Json.Nodes;

namespace CloudNativeApp.Deployment.Tests.Publishing;

/// <summary>The environment a provided.al2023 function starts with.</summary>
public static class LambdaEnvironment
{
    /// <summary>The table name CloudFormation would give the template's ItemsTable.</summary>
    public const string DeployedTableName = "cloudnativeapp-ItemsTable-1Q2W3E4R5T6Y";

    /// <summary>
    /// What the Lambda service sets for a custom runtime (reserved variables, documented in "Defined runtime
    /// environment variables"), with LoggingConfig's JSON format and X-Ray active as the template asks.
    /// Credentials are dummies: the calculator never calls AWS.
    /// </summary>
    public static Dictionary<string, string> ForRuntimeApi(string runtimeApiAddress, string taskRoot) => new(StringComparer.Ordinal)
    {
        ["AWS_LAMBDA_RUNTIME_API"] = runtimeApiAddress,
        ["_HANDLER"] = "bootstrap",
        ["LAMBDA_TASK_ROOT"] = taskRoot,
        ["LAMBDA_RUNTIME_DIR"] = "/var/runtime",
        ["AWS_REGION"] = "us-east-1",
        ["AWS_DEFAULT_REGION"] = "us-east-1",
        ["AWS_LAMBDA_FUNCTION_NAME"] = "cloudnativeapp-Function-AbCdEf123456",
        ["AWS_LAMBDA_FUNCTION_VERSION"] = "$LATEST",
        ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = "1024",
        ["AWS_LAMBDA_INITIALIZATION_TYPE"] = "on-demand",
        ["AWS_LAMBDA_LOG_GROUP_NAME"] = "/aws/lambda/cloudnativeapp",
        ["AWS_LAMBDA_LOG_STREAM_NAME"] = "2026/01/01/[$LATEST]0123456789abcdef0123456789abcdef",
        ["AWS_LAMBDA_LOG_FORMAT"] = "JSON",
        ["AWS_LAMBDA_LOG_LEVEL"] = "INFO",
        ["AWS_XRAY_CONTEXT_MISSING"] = "LOG_ERROR",
        ["AWS_XRAY_DAEMON_ADDRESS"] = "169.254.79.129:2000",
        ["AWS_ACCESS_KEY_ID"] = "AKIAIOSFODNN7EXAMPLE",
        ["AWS_SECRET_ACCESS_KEY"] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        ["AWS_SESSION_TOKEN"] = "test-session-token",
        ["TZ"] = ":UTC",
        ["LANG"] = "en_US.UTF-8",
    };

    /// <summary>
    /// The function's environment variables as serverless.template declares them (Globals and the function),
    /// with <c>Ref ItemsTable</c> resolved to <see cref="DeployedTableName"/>.
    /// </summary>
    public static Dictionary<string, string> FromTemplate()
    {
        var template = ServerlessTemplate.LoadJson();
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in new[] { template["Globals"]?["Function"], template["Resources"]?["Function"]?["Properties"] })
        {
            foreach (var (name, value) in source?["Environment"]?["Variables"] as JsonObject ?? [])
            {
                variables[name] = value switch
                {
                    JsonObject reference when reference["Ref"]?.GetValue<string>() == "ItemsTable" => DeployedTableName,
                    JsonValue literal => literal.ToString(),
                    _ => throw new InvalidDataException($"The test does not know how to resolve {name}={value?.ToJsonString()}."),
                };
            }
        }

        return variables;
    }

    /// <summary>What the Dockerfile's final stage sets (ENV), for running the image's entry point outside Lambda.</summary>
    public static Dictionary<string, string> FromDockerfile() =>
        Dockerfile.Load().FinalStage.Environment.ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);

    public static Dictionary<string, string> Merge(params IEnumerable<KeyValuePair<string, string>>[] sources)
    {
        var merged = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in sources.SelectMany(source => source))
        {
            merged[name] = value;
        }

        return merged;
    }

    public static string Describe(IReadOnlyDictionary<string, string> environment) =>
        string.Join(", ", environment.Keys.Order(StringComparer.Ordinal).Select(key => key.ToString(CultureInfo.InvariantCulture)));
}
