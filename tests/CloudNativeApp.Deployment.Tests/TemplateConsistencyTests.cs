using CloudNativeApp.Items;
using CloudNativeApp.Items.Idempotency;
using CloudNativeApp.Items.Storage;

namespace CloudNativeApp.Deployment.Tests;

/// <summary>serverless.template agrees with the code: the table with ItemDocument's attributes, the function with the publish output and configuration.</summary>
public sealed class TemplateConsistencyTests
{
    private static readonly TableModel Model = TableModel.Of<ItemDocument>();
    private static readonly JsonObject Template = ServerlessTemplate.LoadJson();
    private static readonly JsonObject Resources = Template["Resources"]!.AsObject();
    private static readonly JsonObject Table = Resources["ItemsTable"]!["Properties"]!.AsObject();
    private static readonly JsonObject FunctionGlobals = Template["Globals"]!["Function"]!.AsObject();

    /// <summary>The environment variable that carries <see cref="ItemStoreOptions.TableName"/> (configuration section "Items").</summary>
    private static readonly string TableNameVariable = $"{ItemStoreOptions.SectionName}__{nameof(ItemStoreOptions.TableName)}";

    private static readonly string IdempotencyTableNameVariable = $"{ItemStoreOptions.SectionName}__{nameof(ItemStoreOptions.IdempotencyTableName)}";

    [Fact]
    public void The_table_key_schema_is_the_one_ItemDocument_declares()
    {
        var keys = KeySchema(Table["KeySchema"]);

        Assert.Equal(Model.HashKey.Name, keys["HASH"]);
        Assert.Equal(Model.RangeKey?.Name, keys.GetValueOrDefault("RANGE"));
        Assert.Equal(ItemTable.HashKeyAttribute, Model.HashKey.Name); // the model and the names class agree too
    }

    [Fact]
    public void The_global_secondary_indexes_are_the_ones_ItemDocument_declares()
    {
        var indexes = Table["GlobalSecondaryIndexes"]!.AsArray().Select(index => index!.AsObject()).ToList();

        Assert.Equal(Model.GlobalIndexes.Keys.Order(StringComparer.Ordinal), indexes.Select(index => index["IndexName"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        foreach (var index in indexes)
        {
            var (hash, range) = Model.GlobalIndexes[index["IndexName"]!.GetValue<string>()];
            var keys = KeySchema(index["KeySchema"]);
            Assert.Equal(hash.Name, keys["HASH"]);
            Assert.Equal(range?.Name, keys.GetValueOrDefault("RANGE"));
            // The repository loads whole ItemDocuments from the index.
            Assert.Equal("ALL", index["Projection"]!["ProjectionType"]!.GetValue<string>());
        }

        Assert.Contains(ItemTable.CategoryIndexName, Model.GlobalIndexes.Keys);
    }

    [Fact]
    public void Attribute_definitions_are_exactly_the_key_attributes_with_the_types_the_SDK_stores()
    {
        var definitions = Table["AttributeDefinitions"]!.AsArray()
            .ToDictionary(definition => definition!["AttributeName"]!.GetValue<string>(), definition => definition!["AttributeType"]!.GetValue<string>());

        // CloudFormation rejects definitions no key uses, and DynamoDB rejects writes whose key types differ.
        Assert.Equal(Model.KeyAttributes.ToDictionary(key => key.Name, key => key.Type).OrderBy(pair => pair.Key, StringComparer.Ordinal),
            definitions.OrderBy(pair => pair.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void Time_to_live_is_on_the_attribute_ItemDocument_stores_as_epoch_seconds()
    {
        Assert.NotNull(Model.TimeToLiveAttribute);
        Assert.Equal(Model.TimeToLiveAttribute, Table["TimeToLiveSpecification"]!["AttributeName"]!.GetValue<string>());
        Assert.True(Table["TimeToLiveSpecification"]!["Enabled"]!.GetValue<bool>());
        Assert.DoesNotContain(Model.TimeToLiveAttribute, Model.KeyAttributes.Select(key => key.Name));
    }

    [Fact]
    public void The_table_is_on_demand_with_point_in_time_recovery_and_encryption_and_survives_stack_deletion()
    {
        Assert.Equal("PAY_PER_REQUEST", Table["BillingMode"]!.GetValue<string>());
        Assert.True(Table["PointInTimeRecoverySpecification"]!["PointInTimeRecoveryEnabled"]!.GetValue<bool>());
        Assert.True(Table["SSESpecification"]!["SSEEnabled"]!.GetValue<bool>());
        Assert.False(Table.ContainsKey("TableName")); // CloudFormation names it, so two stacks never collide.
        Assert.Equal("Retain", Resources["ItemsTable"]!["DeletionPolicy"]!.GetValue<string>());
        Assert.Equal("Retain", Resources["ItemsTable"]!["UpdateReplacePolicy"]!.GetValue<string>());
    }

    [Fact]
    public void The_idempotency_table_is_the_one_IdempotencyRecord_declares_with_its_ttl()
    {
        var model = TableModel.Of<IdempotencyRecord>();
        var table = Resources["IdempotencyTable"]!["Properties"]!.AsObject();

        Assert.Equal(model.HashKey.Name, KeySchema(table["KeySchema"])["HASH"]);
        Assert.Equal(
            model.KeyAttributes.Select(key => (key.Name, key.Type)),
            table["AttributeDefinitions"]!.AsArray().Select(definition => (definition!["AttributeName"]!.GetValue<string>(), definition["AttributeType"]!.GetValue<string>())));
        Assert.Equal(model.TimeToLiveAttribute, table["TimeToLiveSpecification"]!["AttributeName"]!.GetValue<string>());
        Assert.True(table["TimeToLiveSpecification"]!["Enabled"]!.GetValue<bool>());
        Assert.Equal("PAY_PER_REQUEST", table["BillingMode"]!.GetValue<string>());
    }

    [Fact]
    public void The_zip_function_is_the_documented_publish_output_started_through_its_bootstrap()
    {
        var function = Resources["Function"]!["Properties"]!.AsObject();

        Assert.Equal("AWS::Serverless::Function", Resources["Function"]!["Type"]!.GetValue<string>());
        Assert.Equal("provided.al2023", function["Runtime"]!.GetValue<string>());
        Assert.Equal("bootstrap", function["Handler"]!.GetValue<string>());
        Assert.Equal("Zip", function["PackageType"]!.GetValue<string>());
        Assert.Equal(PublishedApp.DocumentedOutput, function["CodeUri"]!.GetValue<string>());
        Assert.Contains(PublishedApp.DocumentedCommand, File.ReadAllText(RepositoryRoot.Resolve("README.md")), StringComparison.Ordinal);
    }

    [Fact]
    public void The_image_function_replaces_the_zip_function_when_an_image_uri_is_given()
    {
        var image = Resources["ImageFunction"]!.AsObject();

        Assert.Equal("Image", image["Properties"]!["PackageType"]!.GetValue<string>());
        Assert.Equal("ImageUri", image["Properties"]!["ImageUri"]!["Ref"]!.GetValue<string>());
        Assert.Equal("DeployImageOnDemand", image["Condition"]!.GetValue<string>());
        Assert.Equal("DeployZipOnDemand", Resources["Function"]!["Condition"]!.GetValue<string>());
        // Exactly one of them exists: DeployZip is ImageUri == "" and DeployImage its negation.
        var conditions = Template["Conditions"]!;
        Assert.True(JsonNode.DeepEquals(conditions["DeployZip"], conditions["DeployImage"]!["Fn::Not"]![0]));
        Assert.False(image["Properties"]!.AsObject().ContainsKey("Runtime") || image["Properties"]!.AsObject().ContainsKey("Handler"));
    }

    /// <summary>
    /// Exactly one function per deployment: each opt-in (Managed Instances for the zip, SnapStart for the image) is a
    /// function of its own that takes the plain one's place, since a function cannot be moved onto a capacity
    /// provider after it was created; both publish a version under the alias <c>live</c>, which everything invokes.
    /// </summary>
    [Fact]
    public void Managed_instances_and_snap_start_are_separate_functions_that_replace_the_plain_ones()
    {
        var conditions = Template["Conditions"]!;
        Assert.Equal("UseManagedInstances", Resources["ManagedInstancesFunction"]!["Condition"]!.GetValue<string>());
        Assert.Equal("UseSnapStart", Resources["SnapStartImageFunction"]!["Condition"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(conditions["DeployZipOnDemand"], JsonNode.Parse("""{ "Fn::And": [{ "Condition": "DeployZip" }, { "Fn::Not": [{ "Condition": "UseManagedInstances" }] }] }""")));
        Assert.True(JsonNode.DeepEquals(conditions["DeployImageOnDemand"], JsonNode.Parse("""{ "Fn::And": [{ "Condition": "DeployImage" }, { "Fn::Not": [{ "Condition": "UseSnapStart" }] }] }""")));
        Assert.Equal("DeployZip", conditions["UseManagedInstances"]!["Fn::And"]![0]!["Condition"]!.GetValue<string>());
        Assert.Equal("DeployImage", conditions["UseSnapStart"]!["Fn::And"]![0]!["Condition"]!.GetValue<string>());

        var managed = Resources["ManagedInstancesFunction"]!["Properties"]!;
        Assert.Equal("live", managed["AutoPublishAlias"]!.GetValue<string>());
        Assert.Equal(PublishedApp.DocumentedOutput, managed["CodeUri"]!.GetValue<string>());
        Assert.Equal("bootstrap", managed["Handler"]!.GetValue<string>());
        var capacity = managed["CapacityProviderConfig"]!;
        Assert.Equal("CapacityProvider", capacity["Arn"]!["Fn::GetAtt"]![0]!.GetValue<string>());
        Assert.Equal("ManagedInstancesMaxConcurrency", capacity["PerExecutionEnvironmentMaxConcurrency"]!["Ref"]!.GetValue<string>());
        var maxConcurrency = Template["Parameters"]!["ManagedInstancesMaxConcurrency"]!;
        Assert.Equal(1, maxConcurrency["MinValue"]!.GetValue<int>());
        Assert.Equal(1600, maxConcurrency["MaxValue"]!.GetValue<int>());
        Assert.Equal(
            "AWSLambdaManagedEC2ResourceOperator",
            Resources["CapacityProviderOperatorRole"]!["Properties"]!["ManagedPolicyArns"]![0]!["Fn::Sub"]!.GetValue<string>().Split('/')[^1]);

        var snapStart = Resources["SnapStartImageFunction"]!["Properties"]!;
        Assert.Equal("live", snapStart["AutoPublishAlias"]!.GetValue<string>());
        Assert.Equal("PublishedVersions", snapStart["SnapStart"]!["ApplyOn"]!.GetValue<string>());
        Assert.Equal("Image", snapStart["PackageType"]!.GetValue<string>());

        // Every caller goes to the alias when either is on: the HTTP API integration, the REST API's two paths (each
        // with a buffered and a streaming invocation URI), the two invoke permissions, the Function URL, the output.
        var text = Template.ToJsonString();
        Assert.Equal(9, CountOf(text, "\"Fn::If\":[\"UseManagedInstances\",{\"Ref\":\"ManagedInstancesFunction.Alias\"},{\"Fn::If\":[\"UseSnapStart\",{\"Ref\":\"SnapStartImageFunction.Alias\"}"));
        Assert.Equal(9, CountOf(text, "[\"DeployImage\",{\"Fn::GetAtt\":[\"ImageFunction\"") + CountOf(text, "[\"DeployImage\",{\"Ref\":\"ImageFunction\"}"));
    }

    private static int CountOf(string text, string value) => (text.Length - text.Replace(value, "", StringComparison.Ordinal).Length) / value.Length;

    [Fact]
    public void The_function_gets_the_table_name_and_production_environment_the_app_requires()
    {
        var variables = FunctionGlobals["Environment"]!["Variables"]!.AsObject();

        Assert.Equal("ItemsTable", variables[TableNameVariable]!["Ref"]!.GetValue<string>());
        Assert.Equal("IdempotencyTable", variables[IdempotencyTableNameVariable]!["Ref"]!.GetValue<string>());

        // The app trusts the gateway's identity exactly when the template puts an authorizer (Cognito, IAM or the
        // Lambda authorizer) in front of it; without one (the REST API's key only meters clients) it must not expect
        // claims that never come.
        var authMode = variables["Auth__Mode"]!["Fn::If"]!.AsArray();
        Assert.Equal("UseGatewayIdentity", authMode[0]!.GetValue<string>());
        Assert.Equal(nameof(CloudNativeApp.Security.AuthMode.ApiGateway), authMode[1]!.GetValue<string>());
        Assert.Equal(nameof(CloudNativeApp.Security.AuthMode.None), authMode[2]!.GetValue<string>());
        Assert.Equal("Production", variables["ASPNETCORE_ENVIRONMENT"]!.GetValue<string>());
        // That the app starts with exactly these (and fails without them) is PublishedAppTests' job.
    }

    [Fact]
    public void Every_function_has_only_a_policy_scoped_to_the_items_table_and_its_indexes()
    {
        foreach (var (name, resource) in Resources.Where(pair => pair.Value!["Type"]!.GetValue<string>() == "AWS::Serverless::Function"))
        {
            var policies = resource!["Properties"]!["Policies"]!.AsArray();
            Assert.False(resource["Properties"]!.AsObject().ContainsKey("Role"), $"{name} must use the role SAM generates from its Policies.");
            if (name.StartsWith("Authorizer", StringComparison.Ordinal))
            {
                Assert.Empty(policies); // the Lambda authorizer reads no table
                continue;
            }

            // SAM's DynamoDBCrudPolicy grants item and query actions on this table's ARN and "<table ARN>/index/*" only.
            Assert.Equal(
                ["IdempotencyTable", "ItemsTable"],
                policies.Where(policy => policy!["DynamoDBCrudPolicy"] is not null)
                    .Select(policy => policy!["DynamoDBCrudPolicy"]!["TableName"]!["Ref"]!.GetValue<string>()).Order(StringComparer.Ordinal));

            // Everything else only takes away: no table of another project or environment, by their tags.
            var statements = policies.Where(policy => policy!["DynamoDBCrudPolicy"] is null).SelectMany(policy => policy!["Statement"]!.AsArray()).ToList();
            Assert.Equal(2, statements.Count);
            Assert.All(statements, statement => Assert.Equal("Deny", statement!["Effect"]!.GetValue<string>()));
            Assert.Equal(
                ["aws:ResourceTag/Environment", "aws:ResourceTag/Project"],
                statements.Select(statement => statement!["Condition"]!["StringNotEquals"]!.AsObject().Single().Key).Order(StringComparer.Ordinal));
        }

        Assert.DoesNotContain("FullAccess", Template.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Function_settings_are_the_ones_the_issue_asks_for()
    {
        var parameters = Template["Parameters"]!;

        Assert.Equal("Architecture", FunctionGlobals["Architectures"]![0]!["Ref"]!.GetValue<string>());
        Assert.Equal(["x86_64", "arm64"], parameters["Architecture"]!["AllowedValues"]!.AsArray().Select(value => value!.GetValue<string>()));
        Assert.Equal("MemorySize", FunctionGlobals["MemorySize"]!["Ref"]!.GetValue<string>());
        Assert.Equal(1024, parameters["MemorySize"]!["Default"]!.GetValue<int>());
        Assert.Equal(30, FunctionGlobals["Timeout"]!.GetValue<int>());
        Assert.Equal("Active", FunctionGlobals["Tracing"]!.GetValue<string>());
        Assert.Equal("JSON", FunctionGlobals["LoggingConfig"]!["LogFormat"]!.GetValue<string>());
    }

    [Fact]
    public void The_HTTP_API_sends_every_route_to_the_function_with_payload_2_0()
    {
        Assert.Equal("HTTP", Resources["HttpApi"]!["Properties"]!["ProtocolType"]!.GetValue<string>());
        Assert.NotNull(Resources["HttpApi"]!["Properties"]!["CorsConfiguration"]);
        Assert.Equal("$default", Resources["HttpApiDefaultRoute"]!["Properties"]!["RouteKey"]!.GetValue<string>());
        Assert.Equal("2.0", Resources["HttpApiIntegration"]!["Properties"]!["PayloadFormatVersion"]!.GetValue<string>());
        Assert.Equal("AWS_PROXY", Resources["HttpApiIntegration"]!["Properties"]!["IntegrationType"]!.GetValue<string>());
        Assert.Equal("$default", Resources["HttpApiDefaultStage"]!["Properties"]!["StageName"]!.GetValue<string>());
        Assert.Equal("JWT", Resources["HttpApiJwtAuthorizer"]!["Properties"]!["AuthorizerType"]!.GetValue<string>());
        Assert.Equal("UseJwtAuth", Resources["HttpApiJwtAuthorizer"]!["Condition"]!.GetValue<string>());
    }

    [Fact]
    public void The_REST_API_requires_an_API_key_on_every_path_and_meters_it_with_a_usage_plan()
    {
        var api = Resources["RestApi"]!["Properties"]!;
        var paths = api["DefinitionBody"]!["paths"]!.AsObject();

        Assert.Equal("Prod", api["StageName"]!.GetValue<string>());
        Assert.Equal(["/", "/{proxy+}"], paths.Select(path => path.Key));
        Assert.All(paths, path =>
        {
            var method = path.Value!["x-amazon-apigateway-any-method"]!;
            // Whatever the Authorization parameter adds, every branch still requires the key.
            var requirements = Leaves(method["security"]![0]!["Fn::If"]!).ToList();
            Assert.Equal(4, requirements.Count);
            Assert.All(requirements, requirement => Assert.True(requirement.ContainsKey("api_key")));
            Assert.Equal("aws_proxy", method["x-amazon-apigateway-integration"]!["type"]!.GetValue<string>());
        });
        var plan = Resources["RestApiUsagePlan"]!["Properties"]!;
        Assert.Equal("RestApi", plan["ApiStages"]![0]!["ApiId"]!["Ref"]!.GetValue<string>());
        Assert.NotNull(plan["Throttle"]!["RateLimit"]);
        Assert.NotNull(plan["Throttle"]!["BurstLimit"]);
        Assert.Equal("RestApiKey", Resources["RestApiUsagePlanKey"]!["Properties"]!["KeyId"]!["Ref"]!.GetValue<string>());
    }

    [Fact]
    public void Outputs_name_the_API_URL_the_table_and_the_function()
    {
        Assert.All(["ApiUrl", "TableName", "FunctionArn"], name => Assert.NotNull(Template["Outputs"]![name]));
        Assert.Equal("ItemsTable", Template["Outputs"]!["TableName"]!["Value"]!["Ref"]!.GetValue<string>());
    }

    [Fact]
    public void The_Lambda_tools_defaults_deploy_this_template()
    {
        var defaults = JsonNode.Parse(File.ReadAllText(RepositoryRoot.Resolve("aws-lambda-tools-defaults.json")))!;

        Assert.Equal("serverless.template", defaults["template"]!.GetValue<string>());
        Assert.True(defaults["resolve-s3"]!.GetValue<bool>());
        Assert.False(string.IsNullOrEmpty(defaults["stack-name"]!.GetValue<string>()));
    }

    /// <summary>The values a nested Fn::If chain can produce.</summary>
    private static IEnumerable<JsonObject> Leaves(JsonNode branches)
    {
        foreach (var branch in branches.AsArray().Skip(1))
        {
            if (branch is JsonObject value && value.ContainsKey("Fn::If"))
            {
                foreach (var leaf in Leaves(value["Fn::If"]!))
                {
                    yield return leaf;
                }
            }
            else
            {
                yield return branch!.AsObject();
            }
        }
    }

    private static Dictionary<string, string> KeySchema(JsonNode? schema) =>
        schema!.AsArray().ToDictionary(key => key!["KeyType"]!.GetValue<string>(), key => key!["AttributeName"]!.GetValue<string>());
}
