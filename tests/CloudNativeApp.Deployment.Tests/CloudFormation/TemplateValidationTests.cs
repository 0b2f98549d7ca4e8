namespace CloudNativeApp.Deployment.Tests.CloudFormation;

/// <summary>serverless.template against the CloudFormation registry and SAM specification (npm @aws-cdk/aws-service-spec).</summary>
public sealed class TemplateValidationTests
{
    private static readonly TemplateValidator Validator = new(ResourceSpecification.Shared);

    private static JsonObject Template() => ServerlessTemplate.LoadJson();

    [Fact]
    public void The_specification_holds_the_CloudFormation_registry_and_the_SAM_resources()
    {
        var specification = ResourceSpecification.Shared;

        Assert.True(specification.ResourceTypeCount > 1000, $"only {specification.ResourceTypeCount} resource types");
        Assert.Contains("PointInTimeRecoverySpecification", specification.Find("AWS::DynamoDB::Table")!.Properties.Keys);
        Assert.Contains("Arn", specification.Find("AWS::DynamoDB::Table")!.Attributes);
        Assert.Contains("Events", specification.Find("AWS::Serverless::Function")!.Properties.Keys);
        Assert.True(specification.Find("AWS::Serverless::Api")!.Properties["StageName"].Required);
    }

    [Fact]
    public void Serverless_template_is_valid_for_every_combination_of_its_parameters()
    {
        var errors = Validator.Validate(Template());

        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
    }

    [Theory]
    [InlineData("unknown resource type", "'AWS::DynamoDB::Tabel' is not a CloudFormation resource type")]
    [InlineData("misspelled property", "Resources.ItemsTable.Properties.BillingMod: AWS::DynamoDB::Table has no property 'BillingMod'")]
    [InlineData("misspelled property three levels down", "GlobalSecondaryIndexes[0].Projection.ProjectionTyp: Projection has no property 'ProjectionTyp'")]
    [InlineData("missing required property", "Resources.ItemsTable.Properties: AWS::DynamoDB::Table requires 'KeySchema'")]
    [InlineData("missing required nested property", "GlobalSecondaryIndexes[0]: GlobalSecondaryIndex requires 'IndexName'")]
    [InlineData("wrong value type", "Globals.Function.Timeout: expected number, got the string \"thirty\"")]
    [InlineData("object where a list belongs", "AttributeDefinitions: expected array of object (AttributeDefinition), got an object")]
    [InlineData("value not allowed", "LoggingConfig.LogFormat: 'Yaml' is not one of Text, JSON")]
    [InlineData("misspelled SAM pass-through property", "LoggingConfig.LogFormatt: LoggingConfig has no property 'LogFormatt'")]
    [InlineData("unknown SAM event property", "Events.Proxy.Properties.Rest: ApiEvent has no property 'Rest'")]
    [InlineData("unknown Globals property", "Globals.Function.MemorySise: AWS::Serverless::Function has no property 'MemorySise'")]
    [InlineData("Ref to nothing", "Items__TableName.Ref: no parameter or resource named 'ItemTable'")]
    [InlineData("GetAtt of an unknown attribute", "Outputs.TableName.Value.Fn::GetAtt: AWS::DynamoDB::Table 'ItemsTable' has no attribute 'Name'")]
    [InlineData("Sub of an unknown variable", "LogGroupName.Fn::Sub ${Stage}: no parameter or resource named 'Stage'")]
    [InlineData("Sub of an unknown attribute", "Fn::Sub ${ItemsTable.Name}: AWS::DynamoDB::Table 'ItemsTable' has no attribute 'Name'")]
    [InlineData("unconditional reference to a conditional resource", "Outputs.TableName.Value.Ref: 'RestApiKey' is not created under these conditions")]
    [InlineData("Fn::If on the wrong condition", "HttpApiIntegration.Properties.IntegrationUri.Fn::If[2].Fn::If[2].Fn::If[1].Fn::GetAtt: 'ImageFunction' is not created under these conditions")]
    [InlineData("Fn::If on an unknown condition", "Fn::If: no condition named 'UseGraphQL'")]
    [InlineData("DependsOn nothing", "Resources.ItemsTable.DependsOn: no resource named 'Nothing'")]
    [InlineData("unknown condition on a resource", "Resources.UserPool.Condition: no condition named \"UseSaml\"")]
    [InlineData("misspelled SAM capacity provider property", "CapacityProviderConfig.PerExecutionEnvironmentMaxConcurency: CapacityProviderConfig has no property 'PerExecutionEnvironmentMaxConcurency'")]
    [InlineData("capacity provider config without its ARN", "CapacityProviderConfig: CapacityProviderConfig requires 'Arn'")]
    [InlineData("unsupported memory per vCPU", "ExecutionEnvironmentMemoryGiBPerVCpu: '3' is not one of 2, 4, 8")]
    [InlineData("alias of a function without AutoPublishAlias", "IntegrationUri.Fn::If[1].Ref: no parameter or resource named 'ManagedInstancesFunction.Alias'")]
    [InlineData("SnapStart on an unknown setting", "SnapStart.ApplyOn: 'Always' is not one of PublishedVersions, None")]
    public void A_broken_copy_of_the_template_fails_with_a_message_naming_the_problem(string breakage, string expectedError)
    {
        var template = Template();
        Break(template, breakage);

        var errors = Validator.Validate(template);

        Assert.True(errors.Any(error => error.Contains(expectedError, StringComparison.Ordinal)),
            $"Breakage '{breakage}': expected an error containing \"{expectedError}\", got:{Environment.NewLine}{string.Join(Environment.NewLine, errors)}");
    }

    [Fact]
    public void SAM_implicit_APIs_are_reference_targets_only_when_a_function_event_creates_them()
    {
        const string WithEvents = """
            {
              "Transform": "AWS::Serverless-2016-10-31",
              "Resources": {
                "Fn": {
                  "Type": "AWS::Serverless::Function",
                  "Properties": {
                    "Runtime": "provided.al2023", "Handler": "bootstrap", "CodeUri": "out",
                    "Events": {
                      "Rest": { "Type": "Api", "Properties": { "Path": "/{proxy+}", "Method": "ANY" } },
                      "Http": { "Type": "HttpApi", "Properties": { "PayloadFormatVersion": "2.0" } }
                    }
                  }
                }
              },
              "Outputs": {
                "Rest": { "Value": { "Fn::Sub": "https://${ServerlessRestApi}.execute-api.${AWS::Region}.amazonaws.com/Prod/" } },
                "Http": { "Value": { "Fn::GetAtt": ["ServerlessHttpApi", "ApiEndpoint"] } },
                "Role": { "Value": { "Fn::GetAtt": ["FnRole", "Arn"] } }
              }
            }
            """;

        Assert.Empty(Validator.Validate(WithEvents));

        var withoutEvents = (JsonNode.Parse(WithEvents) as JsonObject)!;
        withoutEvents["Resources"]!["Fn"]!["Properties"]!.AsObject().Remove("Events");
        var errors = Validator.Validate(withoutEvents);
        Assert.Contains(errors, error => error.Contains("no parameter or resource named 'ServerlessRestApi'", StringComparison.Ordinal));
        Assert.Contains(errors, error => error.Contains("no resource named 'ServerlessHttpApi'", StringComparison.Ordinal));
    }

    private static void Break(JsonObject template, string breakage)
    {
        var resources = template["Resources"]!;
        var table = resources["ItemsTable"]!.AsObject();
        var tableProperties = table["Properties"]!.AsObject();
        var globals = template["Globals"]!["Function"]!.AsObject();
        switch (breakage)
        {
            case "unknown resource type":
                table["Type"] = "AWS::DynamoDB::Tabel";
                break;
            case "misspelled property":
                tableProperties["BillingMod"] = tableProperties["BillingMode"]!.DeepClone();
                tableProperties.Remove("BillingMode");
                break;
            case "misspelled property three levels down":
                var projection = tableProperties["GlobalSecondaryIndexes"]![0]!["Projection"]!.AsObject();
                projection["ProjectionTyp"] = "ALL";
                projection.Remove("ProjectionType");
                break;
            case "missing required property":
                tableProperties.Remove("KeySchema");
                break;
            case "missing required nested property":
                tableProperties["GlobalSecondaryIndexes"]![0]!.AsObject().Remove("IndexName");
                break;
            case "wrong value type":
                globals["Timeout"] = "thirty";
                break;
            case "object where a list belongs":
                tableProperties["AttributeDefinitions"] = new JsonObject { ["AttributeName"] = "id", ["AttributeType"] = "S" };
                break;
            case "value not allowed":
                globals["LoggingConfig"]!["LogFormat"] = "Yaml";
                break;
            case "misspelled SAM pass-through property":
                globals["LoggingConfig"]!["LogFormatt"] = "JSON";
                break;
            case "misspelled SAM capacity provider property":
                var capacity = resources["ManagedInstancesFunction"]!["Properties"]!["CapacityProviderConfig"]!.AsObject();
                capacity["PerExecutionEnvironmentMaxConcurency"] = capacity["PerExecutionEnvironmentMaxConcurrency"]!.DeepClone();
                capacity.Remove("PerExecutionEnvironmentMaxConcurrency");
                break;
            case "capacity provider config without its ARN":
                resources["ManagedInstancesFunction"]!["Properties"]!["CapacityProviderConfig"]!.AsObject().Remove("Arn");
                break;
            case "unsupported memory per vCPU":
                resources["ManagedInstancesFunction"]!["Properties"]!["CapacityProviderConfig"]!["ExecutionEnvironmentMemoryGiBPerVCpu"] = 3;
                break;
            case "alias of a function without AutoPublishAlias":
                resources["ManagedInstancesFunction"]!["Properties"]!.AsObject().Remove("AutoPublishAlias");
                break;
            case "SnapStart on an unknown setting":
                resources["SnapStartImageFunction"]!["Properties"]!["SnapStart"]!["ApplyOn"] = "Always";
                break;
            case "unknown SAM event property":
                resources["Function"]!["Properties"]!["Events"] = JsonNode.Parse("""
                    { "Proxy": { "Type": "Api", "Properties": { "Path": "/{proxy+}", "Method": "ANY", "Rest": "RestApi" } } }
                    """);
                break;
            case "unknown Globals property":
                globals["MemorySise"] = 512;
                break;
            case "Ref to nothing":
                globals["Environment"]!["Variables"]!["Items__TableName"] = new JsonObject { ["Ref"] = "ItemTable" };
                break;
            case "GetAtt of an unknown attribute":
                template["Outputs"]!["TableName"]!["Value"] = JsonNode.Parse("""{ "Fn::GetAtt": ["ItemsTable", "Name"] }""");
                break;
            case "Sub of an unknown variable":
                resources["FunctionLogGroup"]!["Properties"]!["LogGroupName"] = JsonNode.Parse("""{ "Fn::Sub": "/aws/lambda/${AWS::StackName}-${Stage}" }""");
                break;
            case "Sub of an unknown attribute":
                resources["FunctionLogGroup"]!["Properties"]!["LogGroupName"] = JsonNode.Parse("""{ "Fn::Sub": "/aws/lambda/${ItemsTable.Name}" }""");
                break;
            case "unconditional reference to a conditional resource":
                template["Outputs"]!["TableName"]!["Value"] = new JsonObject { ["Ref"] = "RestApiKey" };
                break;
            case "Fn::If on the wrong condition":
                resources["HttpApiIntegration"]!["Properties"]!["IntegrationUri"]![
                    "Fn::If"]![2]!["Fn::If"]![2]!["Fn::If"]![0] = "UseHttpApi";
                break;
            case "Fn::If on an unknown condition":
                resources["HttpApiDefaultRoute"]!["Properties"]!["AuthorizationType"]!["Fn::If"]![0] = "UseGraphQL";
                break;
            case "DependsOn nothing":
                table["DependsOn"] = "Nothing";
                break;
            case "unknown condition on a resource":
                resources["UserPool"]!["Condition"] = "UseSaml";
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(breakage), breakage, "No such breakage.");
        }
    }
}
