using CloudNativeApp.LambdaHosting;

namespace CloudNativeApp.Deployment.Tests;

/// <summary>
/// The ResponseStreaming parameter switches every part of a streamed deployment together: the app's setting, the
/// Function URL's invoke mode and the REST API integration (transfer mode, the streaming invocation URI, no compression).
/// </summary>
public sealed class ResponseStreamingTemplateTests
{
    private static readonly JsonObject Template = ServerlessTemplate.LoadJson();
    private static readonly JsonObject Resources = Template["Resources"]!.AsObject();

    [Fact]
    public void Streaming_is_off_by_default_and_the_function_url_optional()
    {
        var parameters = Template["Parameters"]!;
        Assert.Equal("false", parameters["ResponseStreaming"]!["Default"]!.GetValue<string>());
        Assert.Equal("false", parameters["EnableFunctionUrl"]!["Default"]!.GetValue<string>());
        Assert.Equal(
            """{"Fn::Equals":[{"Ref":"ResponseStreaming"},"true"]}""",
            Template["Conditions"]!["UseResponseStreaming"]!.ToJsonString());
        Assert.Equal("UseFunctionUrl", Resources["FunctionUrl"]!["Condition"]!.GetValue<string>());
    }

    [Fact]
    public void The_app_setting_follows_the_parameter()
    {
        var variable = LambdaHostingOptions.ResponseStreamingKey.Replace(":", "__", StringComparison.Ordinal);
        var value = Template["Globals"]!["Function"]!["Environment"]!["Variables"]![variable]!;

        Assert.Equal("""{"Fn::If":["UseResponseStreaming","true","false"]}""", value.ToJsonString());
    }

    [Fact]
    public void The_function_url_streams_when_streaming_is_chosen()
    {
        var url = Resources["FunctionUrl"]!["Properties"]!;

        Assert.Equal("AWS::Lambda::Url", Resources["FunctionUrl"]!["Type"]!.GetValue<string>());
        Assert.Equal("""{"Fn::If":["UseResponseStreaming","RESPONSE_STREAM","BUFFERED"]}""", url["InvokeMode"]!.ToJsonString());
        Assert.Equal("AWS_IAM", url["AuthType"]!.GetValue<string>());

        // With Managed Instances or SnapStart the URL, like every caller, goes to the published alias.
        Assert.Equal("UseManagedInstances", url["TargetFunctionArn"]!["Fn::If"]![0]!.GetValue<string>());
        Assert.Equal("ManagedInstancesFunction.Alias", url["TargetFunctionArn"]!["Fn::If"]![1]!["Ref"]!.GetValue<string>());
    }

    [Fact]
    public void The_rest_api_integration_streams_through_the_streaming_invocation_uri_without_compression()
    {
        var api = Resources["RestApi"]!["Properties"]!;
        Assert.Equal("UseResponseStreaming", api["MinimumCompressionSize"]!["Fn::If"]![0]!.GetValue<string>());
        Assert.Equal("AWS::NoValue", api["MinimumCompressionSize"]!["Fn::If"]![1]!["Ref"]!.GetValue<string>());

        var paths = api["DefinitionBody"]!["paths"]!.AsObject();
        Assert.NotEmpty(paths);
        Assert.All(paths, path =>
        {
            var integration = path.Value!["x-amazon-apigateway-any-method"]!["x-amazon-apigateway-integration"]!;
            Assert.Equal("""{"Fn::If":["UseResponseStreaming","STREAM","BUFFERED"]}""", integration["responseTransferMode"]!.ToJsonString());
            var uri = integration["uri"]!["Fn::If"]!.AsArray();
            Assert.Equal("UseResponseStreaming", uri[0]!.GetValue<string>());
            Assert.EndsWith(
                ":lambda:path/2021-11-15/functions/${FunctionArn}/response-streaming-invocations",
                uri[1]!["Fn::Sub"]![0]!.GetValue<string>(),
                StringComparison.Ordinal);
            Assert.EndsWith(":lambda:path/2015-03-31/functions/${FunctionArn}/invocations", uri[2]!["Fn::Sub"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        });
    }
}
