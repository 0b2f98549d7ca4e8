namespace CloudNativeApp.LambdaHosting.Tests;

/// <summary>The AWS documentation example events (non-HTTP ones too: WebSocket API, S3, SQS) (copied to the output) and edits of them for edge cases.</summary>
internal static class TestEvents
{
    public const string RestApi = "apigw-v1-doc-example.json";
    public const string HttpApi = "apigw-v2-doc-example.json";
    public const string FunctionUrl = "function-url-example.json";
    public const string Alb = "alb-doc-example.json";
    public const string WebSocketConnect = "websocket-connect-example.json";
    public const string WebSocketMessage = "websocket-message-example.json";
    public const string S3Notification = "s3-notification-example.json";
    public const string SqsMessage = "sqs-message-example.json";
    public const string RestApiTokenAuthorizer = "apigw-token-authorizer-example.json";
    public const string RestApiRequestAuthorizer = "apigw-request-authorizer-example.json";
    public const string HttpApiAuthorizer = "apigw-v2-authorizer-example.json";

    /// <summary>
    /// The HTTP API example as a <c>GET /my/path</c> without a body. Built once: timed tests send it by the hundred, and
    /// the runtime only reads it.
    /// </summary>
    public static readonly byte[] HttpApiGet = Edit(HttpApi, root =>
    {
        root["requestContext"]!["http"]!["method"] = "GET";
        root["body"] = null;
    });

    public static byte[] Load(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Events", name));

    /// <summary>The example event, changed by <paramref name="edit"/>, as bytes.</summary>
    public static byte[] Edit(string name, Action<JsonObject> edit)
    {
        var root = JsonNode.Parse(Load(name))!.AsObject();
        edit(root);
        return System.Text.Encoding.UTF8.GetBytes(root.ToJsonString());
    }

    /// <summary>A GET of <paramref name="path"/> without a body, from a Function URL (payload 2.0 on a lambda-url domain).</summary>
    public static byte[] FunctionUrlGet(string path) => Edit(FunctionUrl, root =>
    {
        root["rawPath"] = path;
        root["rawQueryString"] = "";
        root["requestContext"]!["http"]!["method"] = "GET";
        root["requestContext"]!["http"]!["path"] = path;
        root["body"] = null;
    });

    /// <summary>A GET of <paramref name="path"/> without a body, from an API Gateway REST API's Prod stage.</summary>
    public static byte[] RestApiGet(string path) => Edit(RestApi, root =>
    {
        root["path"] = path;
        root["httpMethod"] = "GET";
        root["requestContext"]!["path"] = "/Prod" + path;
        root["body"] = null;
    });
}
