using static CloudNativeApp.Deployment.Tests.CloudFormation.TemplateJson;

namespace CloudNativeApp.Deployment.Tests.CloudFormation;

/// <summary>
/// What SAM's transform adds to a template that the specification does not say: its Globals sections, the
/// resources it generates (&lt;Function&gt;Role, ServerlessRestApi, &lt;Api&gt;.Stage, …) and the function properties it
/// passes on that the SAM specification in aws-service-spec does not know yet.
/// </summary>
internal static class SamTransform
{
    /// <summary>Globals section → the resource type its properties apply to: each is AWS::Serverless::&lt;section&gt;.</summary>
    public static readonly IReadOnlyDictionary<string, string> GlobalsSections =
        new[] { "Function", "Api", "HttpApi", "SimpleTable", "LayerVersion", "StateMachine" }
            .ToDictionary(section => section, section => $"AWS::Serverless::{section}", StringComparer.Ordinal);

    /// <summary>The resource SAM generates under the same logical id, whose attributes Fn::GetAtt reads.</summary>
    private static readonly Dictionary<string, string> GeneratedTypes = new(StringComparer.Ordinal)
    {
        ["AWS::Serverless::Function"] = "AWS::Lambda::Function",
        ["AWS::Serverless::Api"] = "AWS::ApiGateway::RestApi",
        ["AWS::Serverless::HttpApi"] = "AWS::ApiGatewayV2::Api",
        ["AWS::Serverless::SimpleTable"] = "AWS::DynamoDB::Table",
        ["AWS::Serverless::LayerVersion"] = "AWS::Lambda::LayerVersion",
        ["AWS::Serverless::StateMachine"] = "AWS::StepFunctions::StateMachine",
        ["AWS::Serverless::Application"] = "AWS::CloudFormation::Stack",
    };

    /// <summary>
    /// SAM passes these straight to the AWS::Lambda::Function it generates, but the SAM specification in
    /// aws-service-spec predates them; they are checked against AWS::Lambda::Function's definition instead.
    /// </summary>
    private static readonly string[] FunctionPassThroughProperties = ["LoggingConfig", "RuntimeManagementConfig", "SnapStart", "RecursiveLoop"];

    /// <summary>
    /// SAM's <c>CapacityProviderConfig</c> (Lambda Managed Instances), newer than the SAM specification in
    /// @aws-cdk/aws-service-spec and shaped unlike CloudFormation's (SAM wraps it into
    /// <c>LambdaManagedInstancesCapacityProviderConfig</c>): <c>Arn</c> (required),
    /// <c>ExecutionEnvironmentMemoryGiBPerVCpu</c> (2, 4 or 8), <c>PerExecutionEnvironmentMaxConcurrency</c> (integer),
    /// as documented in the SAM developer guide (sam-property-function-capacityproviderconfig).
    /// </summary>
    private static readonly PropertySpec CapacityProviderConfig = new(CreateCapacityProviderConfig(), Required: false);

    /// <summary>The Globals section whose properties apply to resources of <paramref name="resourceType"/>, if any.</summary>
    public static string? GlobalsSectionFor(string resourceType) =>
        GlobalsSections.FirstOrDefault(pair => pair.Value == resourceType).Key;

    /// <summary>The type whose attributes Fn::GetAtt reads on a resource of <paramref name="type"/>.</summary>
    public static string AttributesOf(string type) => GeneratedTypes.GetValueOrDefault(type, type);

    /// <summary>A property of <paramref name="spec"/>, including those SAM accepts beyond its specification.</summary>
    public static PropertySpec? FindProperty(ResourceSpecification specification, ResourceTypeSpec spec, string name)
    {
        if (spec.Properties.TryGetValue(name, out var property))
        {
            return property;
        }

        if (spec.Name != "AWS::Serverless::Function")
        {
            return null;
        }

        return name == "CapacityProviderConfig" ? CapacityProviderConfig
            : FunctionPassThroughProperties.Contains(name) ? specification.Find("AWS::Lambda::Function")!.Properties[name]
            : null;
    }

    /// <summary>
    /// Adds the resources SAM generates for the created <paramref name="resources"/> (logical id → type), and to
    /// <paramref name="samReferences"/> the "Logical.Property" names (MyApi.Stage, MyFunction.Alias) only Ref accepts.
    /// </summary>
    public static void AddGeneratedResources(TemplateContext context, Dictionary<string, string> resources, HashSet<string> samReferences)
    {
        foreach (var (name, type) in resources.ToList())
        {
            var properties = context.Resources[name]?["Properties"] as JsonObject ?? [];
            switch (type)
            {
                case "AWS::Serverless::Function":
                    AddFunctionResources(context, name, properties, resources, samReferences);
                    break;
                case "AWS::Serverless::Api":
                    samReferences.Add($"{name}.Stage");
                    samReferences.Add($"{name}.Deployment");
                    break;
                case "AWS::Serverless::HttpApi":
                    samReferences.Add($"{name}.Stage");
                    break;
            }
        }
    }

    private static void AddFunctionResources(
        TemplateContext context, string name, JsonObject properties, Dictionary<string, string> resources, HashSet<string> samReferences)
    {
        if (!properties.ContainsKey("Role") && context.Globals["Function"]?["Role"] is null)
        {
            resources[$"{name}Role"] = "AWS::IAM::Role";
        }

        if (properties.ContainsKey("AutoPublishAlias") || context.Globals["Function"]?["AutoPublishAlias"] is not null)
        {
            samReferences.Add($"{name}.Alias");
            samReferences.Add($"{name}.Version");
        }

        foreach (var (_, source) in properties["Events"] as JsonObject ?? [])
        {
            var eventType = IsString(source?["Type"]) ? source!["Type"]!.GetValue<string>() : null;
            if (eventType == "Api" && source?["Properties"]?["RestApiId"] is null)
            {
                resources["ServerlessRestApi"] = "AWS::Serverless::Api";
                samReferences.Add("ServerlessRestApi.Stage");
                samReferences.Add("ServerlessRestApi.Deployment");
            }
            else if (eventType == "HttpApi" && source?["Properties"]?["ApiId"] is null)
            {
                resources["ServerlessHttpApi"] = "AWS::Serverless::HttpApi";
                samReferences.Add("ServerlessHttpApi.Stage");
            }
        }
    }

    private static ObjectTypeSpec CreateCapacityProviderConfig()
    {
        var config = new ObjectTypeSpec("CapacityProviderConfig");
        config.Properties["Arn"] = new PropertySpec(new ScalarTypeSpec(ScalarKind.Text, []), Required: true);
        config.Properties["ExecutionEnvironmentMemoryGiBPerVCpu"] = new PropertySpec(new ScalarTypeSpec(ScalarKind.Number, ["2", "4", "8"]), Required: false);
        config.Properties["PerExecutionEnvironmentMaxConcurrency"] = new PropertySpec(new ScalarTypeSpec(ScalarKind.WholeNumber, []), Required: false);
        return config;
    }
}
