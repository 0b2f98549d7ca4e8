using CloudNativeApp.Deployment.Tests.CloudFormation;
using CloudNativeApp.Security;

namespace CloudNativeApp.Deployment.Tests;

/// <summary>
/// API Gateway's security features as template parameters: each off by default, each switching what it needs and
/// nothing else. (That every combination is a valid template is TemplateValidationTests' job.)
/// </summary>
public sealed partial class ApiSecurityTemplateTests
{
    private static readonly JsonObject Template = ServerlessTemplate.LoadJson();
    private static readonly JsonObject Resources = Template["Resources"]!.AsObject();

    private static readonly string[] DefaultResources =
    [
        "Function", "FunctionLogGroup", "ItemsTable", "IdempotencyTable",
        "HttpApi", "HttpApiIntegration", "HttpApiDefaultRoute", "HttpApiDefaultStage", "HttpApiInvokePermission",
    ];

    private static IReadOnlySet<string> Created(params (string Name, string Value)[] parameters) =>
        TemplateValidator.ResourcesCreated(Template, parameters.ToDictionary(pair => pair.Name, pair => pair.Value));

    [Fact]
    public void Every_parameter_has_a_default_and_the_defaults_create_no_security_extras()
    {
        Assert.All(Template["Parameters"]!.AsObject(), parameter => Assert.NotNull(parameter.Value!["Default"]));
        Assert.Equal(DefaultResources.Order(StringComparer.Ordinal), Created().Order(StringComparer.Ordinal));
        Assert.Equal(
            DefaultResources.Where(name => !name.StartsWith("HttpApi", StringComparison.Ordinal))
                .Concat(["RestApi", "RestApiInvokePermission", "RestApiUsagePlan", "RestApiKey", "RestApiUsagePlanKey"]).Order(StringComparer.Ordinal),
            Created(("ApiType", "RestApi")).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("HttpApi", "Iam", "")]
    [InlineData("RestApi", "Iam", "")]
    [InlineData("HttpApi", "Cognito", "HttpApiJwtAuthorizer UserPool UserPoolClient")]
    [InlineData("RestApi", "Cognito", "UserPool UserPoolClient")]
    [InlineData("HttpApi", "LambdaAuthorizer", "AuthorizerFunction AuthorizerLogGroup AuthorizerInvokePermission HttpApiLambdaAuthorizer UserPool UserPoolClient")]
    [InlineData("RestApi", "LambdaAuthorizer", "AuthorizerFunction AuthorizerLogGroup AuthorizerInvokePermission UserPool UserPoolClient")]
    public void Each_authorization_choice_adds_only_what_it_needs(string apiType, string authorization, string added)
    {
        var baseline = Created(("ApiType", apiType));

        var created = Created(("ApiType", apiType), ("Authorization", authorization));

        Assert.Equal(added.Split(' ', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal), created.Except(baseline).Order(StringComparer.Ordinal));
        Assert.Empty(baseline.Except(created));
    }

    [Fact]
    public void EnableJwtAuth_still_means_Cognito_and_an_explicit_Authorization_wins()
    {
        Assert.Contains("HttpApiJwtAuthorizer", Created(("EnableJwtAuth", "true")));
        Assert.DoesNotContain("UserPool", Created(("EnableJwtAuth", "true"), ("Authorization", "Iam")));
    }

    [Fact]
    public void The_Lambda_authorizer_is_the_same_package_validating_with_the_apps_Jwt_mode_and_reads_no_table()
    {
        var zip = Resources["AuthorizerFunction"]!["Properties"]!;
        var image = Resources["AuthorizerImageFunction"]!["Properties"]!;
        Assert.Equal(Resources["Function"]!["Properties"]!["CodeUri"]!.GetValue<string>(), zip["CodeUri"]!.GetValue<string>());
        Assert.Equal("ImageUri", image["ImageUri"]!["Ref"]!.GetValue<string>());
        Assert.Contains("AuthorizerImageFunction", Created(("Authorization", "LambdaAuthorizer"), ("ImageUri", "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1")));
        Assert.DoesNotContain("AuthorizerFunction", Created(("Authorization", "LambdaAuthorizer"), ("ImageUri", "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1")));

        foreach (var function in new[] { zip, image })
        {
            var variables = function["Environment"]!["Variables"]!;
            Assert.Equal(nameof(AuthMode.Jwt), variables["Auth__Mode"]!.GetValue<string>());
            // The stack's own user pool, named as the HTTP API's JWT authorizer names it, unless JwtIssuer is given.
            Assert.Equal(
                Resources["HttpApiJwtAuthorizer"]!["Properties"]!["JwtConfiguration"]!["Issuer"]!.ToJsonString(),
                variables["Auth__Jwt__Authority"]!["Fn::If"]![1]!.ToJsonString());
            Assert.Equal("JwtIssuer", variables["Auth__Jwt__Authority"]!["Fn::If"]![2]!["Ref"]!.GetValue<string>());
            Assert.Empty(function["Policies"]!.AsArray());
        }

        Assert.DoesNotContain("UserPool", Created(("Authorization", "LambdaAuthorizer"), ("JwtIssuer", "https://login.example.com/")));
    }

    [Fact]
    public void Both_APIs_ask_the_authorizer_in_the_format_it_answers_and_cache_for_the_TTL_parameter()
    {
        var httpApi = Resources["HttpApiLambdaAuthorizer"]!["Properties"]!;
        Assert.Equal("REQUEST", httpApi["AuthorizerType"]!.GetValue<string>());
        Assert.Equal("2.0", httpApi["AuthorizerPayloadFormatVersion"]!.GetValue<string>());
        Assert.True(httpApi["EnableSimpleResponses"]!.GetValue<bool>());
        Assert.Equal("AuthorizerCacheTtl", httpApi["AuthorizerResultTtlInSeconds"]!["Ref"]!.GetValue<string>());

        var rest = RestSecurityScheme("jwt_lambda")["x-amazon-apigateway-authorizer"]!;
        Assert.Equal("token", rest["type"]!.GetValue<string>());
        Assert.Equal("AuthorizerCacheTtl", rest["authorizerResultTtlInSeconds"]!["Ref"]!.GetValue<string>());
        Assert.Matches(rest["identityValidationExpression"]!.GetValue<string>(), "Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln");

        Assert.Equal("awsSigv4", RestSecurityScheme("sigv4")["x-amazon-apigateway-authtype"]!.GetValue<string>());
        Assert.Equal("cognito_user_pools", RestSecurityScheme("cognito")["x-amazon-apigateway-authorizer"]!["type"]!.GetValue<string>());
        Assert.Equal(
            """{"Fn::If":["UseJwtAuth","JWT",{"Fn::If":["UseIam","AWS_IAM",{"Fn::If":["UseLambdaAuthorizer","CUSTOM","NONE"]}]}]}""",
            Resources["HttpApiDefaultRoute"]!["Properties"]!["AuthorizationType"]!.ToJsonString());
    }

    [Fact]
    public void A_private_API_admits_only_its_VPC_endpoints_and_the_source_allow_list_only_its_CIDRs()
    {
        var api = Resources["RestApi"]!["Properties"]!;
        Assert.Equal("""{"Fn::If":["UsePrivateApi","PRIVATE","REGIONAL"]}""", api["EndpointConfiguration"]!["Type"]!.ToJsonString());
        var policy = api["DefinitionBody"]!["x-amazon-apigateway-policy"]!["Fn::If"]!;
        Assert.Equal("UseResourcePolicy", policy[0]!.GetValue<string>());
        var text = policy[1]!.ToJsonString();
        Assert.Contains("""{"StringNotEquals":{"aws:SourceVpce":{"Fn::Split":[",",{"Ref":"VpcEndpointIds"}]}}}""", text, StringComparison.Ordinal);
        Assert.Contains("""{"NotIpAddress":{"aws:SourceIp":{"Fn::Split":[",",{"Ref":"AllowedSourceCidrs"}]}}}""", text, StringComparison.Ordinal);
        Assert.Contains("""{"NotIpAddress":{"aws:VpcSourceIp":{"Fn::Split":[",",{"Ref":"AllowedSourceCidrs"}]}}}""", text, StringComparison.Ordinal);

        Assert.Equal(["PRIVATE", "REGIONAL"], Template["Parameters"]!["EndpointType"]!["AllowedValues"]!.AsArray().Select(value => value!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.Equal("REGIONAL", Template["Parameters"]!["EndpointType"]!["Default"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("HttpApi", "HttpApiDomain HttpApiDomainMapping")]
    [InlineData("RestApi", "RestApiDomain RestApiDomainMapping")]
    public void A_custom_domain_has_mutual_TLS_and_turns_the_default_endpoint_off(string apiType, string added)
    {
        var created = Created(("ApiType", apiType), ("DomainName", "api.example.com"));

        Assert.Equal(added.Split(' ').Order(StringComparer.Ordinal), created.Except(Created(("ApiType", apiType))).Order(StringComparer.Ordinal));
        var domain = Resources[added.Split(' ')[0]]!["Properties"]!;
        Assert.Equal("TruststoreUri", domain["MutualTlsAuthentication"]!["TruststoreUri"]!["Ref"]!.GetValue<string>());
        Assert.Equal("""{"Fn::If":["UseCustomDomain",true,false]}""", Resources[apiType]!["Properties"]!["DisableExecuteApiEndpoint"]!.ToJsonString());
    }

    [Fact]
    public void AWS_WAF_associates_a_given_web_ACL_or_creates_one_on_the_REST_API_only()
    {
        Assert.Equal(["WebAclAssociation"], Created(("ApiType", "RestApi"), ("WebAclArn", "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/x/1")).Except(Created(("ApiType", "RestApi"))));
        Assert.Equal(["WebAcl", "WebAclAssociation"], Created(("ApiType", "RestApi"), ("CreateWebAcl", "true")).Except(Created(("ApiType", "RestApi"))).Order(StringComparer.Ordinal));
        Assert.Empty(Created(("CreateWebAcl", "true")).Except(Created()));

        var rules = Resources["WebAcl"]!["Properties"]!["Rules"]!.AsArray();
        Assert.Equal("AWSManagedRulesCommonRuleSet", rules[0]!["Statement"]!["ManagedRuleGroupStatement"]!["Name"]!.GetValue<string>());
        Assert.Equal("WafRateLimit", rules[1]!["Statement"]!["RateBasedStatement"]!["Limit"]!["Ref"]!.GetValue<string>());
    }

    [Fact]
    public void Every_taggable_resource_carries_the_Project_and_Environment_tags()
    {
        const string Expected = """{"Project":{"Ref":"Project"},"Environment":{"Ref":"Environment"}}""";
        const string ExpectedList = """[{"Key":"Project","Value":{"Ref":"Project"}},{"Key":"Environment","Value":{"Ref":"Environment"}}]""";
        var tagged = 0;
        foreach (var (name, resource) in Resources)
        {
            var type = resource!["Type"]!.GetValue<string>();
            var properties = ResourceSpecification.Shared.Find(type)!.Properties;
            var tagProperty = properties.ContainsKey("Tags") ? "Tags" : properties.ContainsKey("UserPoolTags") ? "UserPoolTags" : null;
            if (tagProperty is null)
            {
                continue;
            }

            // SAM functions take theirs from Globals (and pass them on to the roles SAM makes for them).
            var tags = type == "AWS::Serverless::Function" ? Template["Globals"]!["Function"]!["Tags"] : resource["Properties"]![tagProperty];
            Assert.True(tags is not null, $"{name} ({type}) has no {tagProperty}.");
            Assert.Contains(tags!.ToJsonString(), new[] { Expected, ExpectedList });
            tagged++;
        }

        Assert.True(tagged > 20, $"only {tagged} taggable resources");
    }

    [Fact]
    public void The_deploy_guide_lists_every_parameter_with_its_default()
    {
        var guide = File.ReadAllText(RepositoryRoot.Resolve("docs", "deploy.md"));
        var rows = TableRow().Matches(guide).ToDictionary(match => match.Groups["names"].Value, match => match.Groups["default"].Value.Trim());

        foreach (var (name, definition) in Template["Parameters"]!.AsObject())
        {
            var row = rows.FirstOrDefault(pair => pair.Key.Split(", ").Contains($"`{name}`"));
            Assert.True(row.Key is not null, $"docs/deploy.md has no parameter row for {name}.");
            var expected = definition!["Default"]!.ToString() is { Length: > 0 } value ? $"`{value}`" : "empty";
            Assert.Equal(expected, row.Value);
        }
    }

    private static JsonNode RestSecurityScheme(string name) =>
        Resources["RestApi"]!["Properties"]!["DefinitionBody"]!["components"]!["securitySchemes"]![name]!["Fn::If"]![1]!;

    [GeneratedRegex(@"^\| (?<names>`[^|]+`) \| (?<default>[^|]+) \|", RegexOptions.Multiline)]
    private static partial Regex TableRow();
}
