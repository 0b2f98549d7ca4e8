namespace CloudNativeApp.LambdaHosting.Tests.Translation;

/// <summary>One documented deployment shape: the event API Gateway, a Function URL or ALB sends, and the request a client made.</summary>
internal sealed record EventCase(
    string Name,
    LambdaEventSource Source,
    byte[] Event,
    string Method,
    string PathBase,
    string Path,
    string QueryString,
    string Host,
    long? ContentLength)
{
    public override string ToString() => Name;
}

/// <summary>
/// Events as the AWS documentation shapes them for each way a request reaches the function, edited to one client
/// request each. What each source puts where:
/// REST API (Lambda proxy docs, and custom domain "API mappings" docs: the base path is in the request, the API sees the
/// rest): on the execute-api domain "path" lacks the stage that requestContext.path has; on a custom domain both are
/// the client's path including the base path, and "resource" is the route without it.
/// HTTP API (Lambda integration docs, "Payload format differences"): 2.0's rawPath has a named stage but never an API
/// mapping's path; 1.0's "path" has the mapping's path.
/// </summary>
internal static class DocumentedEventCases
{
    public static readonly IReadOnlyList<EventCase> All =
    [
        new("REST API, execute-api domain, stage Prod", LambdaEventSource.RestApi,
            RestProxy(path: "/items/42", contextPath: "/Prod/items/42", domain: "id.execute-api.us-east-1.amazonaws.com", method: "GET"),
            "GET", "/Prod", "/items/42", "?q=a%20b&tag=x%2By", "id.execute-api.us-east-1.amazonaws.com", null),
        new("REST API, custom domain, base path v1", LambdaEventSource.RestApi,
            RestProxy(path: "/v1/items/42", contextPath: "/v1/items/42", domain: "api.example.com", method: "POST"),
            "POST", "/v1", "/items/42", "?q=a%20b&tag=x%2By", "api.example.com", 0),
        new("REST API, custom domain, two-level base path orders/v2", LambdaEventSource.RestApi,
            RestProxy(path: "/orders/v2/items/42", contextPath: "/orders/v2/items/42", domain: "api.example.com", method: "DELETE"),
            "DELETE", "/orders/v2", "/items/42", "?q=a%20b&tag=x%2By", "api.example.com", null),
        new("REST API, custom domain, no base path", LambdaEventSource.RestApi,
            RestProxy(path: "/items/42", contextPath: "/items/42", domain: "api.example.com", method: "PUT"),
            "PUT", "", "/items/42", "?q=a%20b&tag=x%2By", "api.example.com", 0),
        new("HTTP API payload 1.0, custom domain mapping orders", LambdaEventSource.RestApi,
            TestEvents.Edit(TestEvents.RestApi, root =>
            {
                root["path"] = "/orders/my/path";
                root["requestContext"]!["path"] = "/orders/my/path";
                root["requestContext"]!["domainName"] = "api.example.com";
            }),
            "GET", "/orders", "/my/path", "?parameter1=value1&parameter1=value2&parameter2=value", "api.example.com", 18),
        new("HTTP API 2.0, $default stage", LambdaEventSource.HttpApi,
            TestEvents.Edit(TestEvents.HttpApi, root => root["rawPath"] = "/items/42"),
            "POST", "", "/items/42", "?parameter1=value1&parameter1=value2&parameter2=value", "id.execute-api.us-east-1.amazonaws.com", 17),
        new("HTTP API 2.0, named stage beta, route ANY /{proxy+}", LambdaEventSource.HttpApi,
            HttpProxy(rawPath: "/beta/items/42", stage: "beta", domain: "id.execute-api.us-east-1.amazonaws.com"),
            "PATCH", "/beta", "/items/42", "?q=a%20b", "id.execute-api.us-east-1.amazonaws.com", 0),
        new("HTTP API 2.0, custom domain mapping to $default stage", LambdaEventSource.HttpApi,
            HttpProxy(rawPath: "/items/42", stage: "$default", domain: "api.example.com"),
            "PATCH", "", "/items/42", "?q=a%20b", "api.example.com", 0),
        new("HTTP API 2.0, custom domain mapping to named stage beta", LambdaEventSource.HttpApi,
            HttpProxy(rawPath: "/beta/items/42", stage: "beta", domain: "api.example.com"),
            "PATCH", "", "/items/42", "?q=a%20b", "api.example.com", 0),
        new("Function URL", LambdaEventSource.HttpApi,
            TestEvents.Load(TestEvents.FunctionUrl),
            "POST", "", "/my/path", "?parameter1=value1&parameter1=value2&parameter2=value", "<url-id>.lambda-url.us-west-2.on.aws", 18),
        new("Function URL, bodiless POST with encoded path", LambdaEventSource.HttpApi,
            TestEvents.Edit(TestEvents.FunctionUrl, root =>
            {
                root["rawPath"] = "/files/a%20b%2Fc+d";
                root["rawQueryString"] = "";
                root.Remove("body");
            }),
            "POST", "", "/files/a b%2Fc+d", "", "<url-id>.lambda-url.us-west-2.on.aws", 0),
        new("ALB", LambdaEventSource.Alb,
            TestEvents.Load(TestEvents.Alb),
            "GET", "", "/", "", "lambda-846800462-us-east-2.elb.amazonaws.com", 12),
        new("ALB, bodiless POST", LambdaEventSource.Alb,
            TestEvents.Edit(TestEvents.Alb, root =>
            {
                root["httpMethod"] = "POST";
                root["path"] = "/items";
                root["queryStringParameters"] = new JsonObject { ["q"] = "a%20b" };
                root.Remove("body");
            }),
            "POST", "", "/items", "?q=a%20b", "lambda-846800462-us-east-2.elb.amazonaws.com", 0),
    ];

    // A REST API proxy resource "/{proxy+}" (the usual shape for an ASP.NET Core app), without a body.
    private static byte[] RestProxy(string path, string contextPath, string domain, string method) =>
        TestEvents.Edit(TestEvents.RestApi, root =>
        {
            root["httpMethod"] = method;
            root["resource"] = "/{proxy+}";
            root["path"] = path;
            root["pathParameters"] = new JsonObject { ["proxy"] = "items/42" };
            root["requestContext"]!["resourcePath"] = "/{proxy+}";
            root["requestContext"]!["path"] = contextPath;
            root["requestContext"]!["domainName"] = domain;
            root["requestContext"]!["stage"] = "Prod";
            root["multiValueHeaders"] = new JsonObject { ["Host"] = new JsonArray(domain) };
            root["multiValueQueryStringParameters"] = new JsonObject { ["q"] = new JsonArray("a b"), ["tag"] = new JsonArray("x+y") };
            root["body"] = null;
        });

    // An HTTP API route "ANY /{proxy+}", a bodiless PATCH.
    private static byte[] HttpProxy(string rawPath, string stage, string domain) =>
        TestEvents.Edit(TestEvents.HttpApi, root =>
        {
            root["routeKey"] = "ANY /{proxy+}";
            root["rawPath"] = rawPath;
            root["rawQueryString"] = "q=a%20b";
            root["pathParameters"] = new JsonObject { ["proxy"] = "items/42" };
            root["requestContext"]!["routeKey"] = "ANY /{proxy+}";
            root["requestContext"]!["stage"] = stage;
            root["requestContext"]!["domainName"] = domain;
            root["requestContext"]!["http"]!["method"] = "PATCH";
            root["requestContext"]!["http"]!["path"] = rawPath;
            root.Remove("body");
        });
}
