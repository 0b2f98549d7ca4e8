namespace CloudNativeApp.LambdaHosting.Tests.Translation;

/// <summary>
/// PathBase is whatever leads the request path before the route API Gateway matched. REST API custom domains put
/// their base path mapping into "path" and requestContext.path alike, with "resource" and pathParameters naming the
/// route (API Gateway docs, "Use API mappings to connect API stages to a custom domain name for REST APIs").
/// </summary>
public sealed class BasePathTests
{
    [Theory]
    // The shape (resource "/api/{proxy+}" behind base path "test").
    [InlineData("/api/{proxy+}", "/test/api/resourcepath", """{"proxy":"resourcepath"}""", "/test", "/api/resourcepath")]
    [InlineData("/{proxy+}", "/v1/calculator/add/3/4", """{"proxy":"calculator/add/3/4"}""", "/v1", "/calculator/add/3/4")]
    [InlineData("/{proxy+}", "/orders/shop/5/hats", """{"proxy":"hats"}""", "/orders/shop/5", "/hats")]
    [InlineData("/items/{id}", "/v1/items/42", """{"id":"42"}""", "/v1", "/items/42")]
    [InlineData("/items/{id}/parts/{part+}", "/v1/items/42/parts/a/b", """{"id":"42","part":"a/b"}""", "/v1", "/items/42/parts/a/b")]
    // Values decoded or as sent; %2F stays encoded in Path, '+' is a plus in a path.
    [InlineData("/{proxy+}", "/v1/files/a%20b", """{"proxy":"files/a b"}""", "/v1", "/files/a b")]
    [InlineData("/{proxy+}", "/v1/files/a%20b", """{"proxy":"files/a%20b"}""", "/v1", "/files/a b")]
    [InlineData("/{proxy+}", "/v1/files/a%2Fb", """{"proxy":"files/a/b"}""", "/v1", "/files/a%2Fb")]
    [InlineData("/{proxy+}", "/v1/files/a+b", """{"proxy":"files/a+b"}""", "/v1", "/files/a+b")]
    [InlineData("/items/{name}", "/v%201/items/x%20y", """{"name":"x y"}""", "/v 1", "/items/x y")]
    // The proxy value leaves out a trailing slash; Path keeps it.
    [InlineData("/{proxy+}", "/v1/foo/bar/", """{"proxy":"foo/bar"}""", "/v1", "/foo/bar/")]
    // The API's root under a base path.
    [InlineData("/", "/v1", "null", "/v1", "/")]
    [InlineData("/", "/v1/", "null", "/v1", "/")]
    [InlineData("/", "/", "null", "", "/")]
    // Custom domain without a base path.
    [InlineData("/{proxy+}", "/items/42", """{"proxy":"items/42"}""", "", "/items/42")]
    public async Task Rest_api_custom_domain_base_path_becomes_PathBase(string resource, string path, string pathParameters, string expectedPathBase, string expectedPath)
    {
        var result = await Translate.InvokeAsync(CustomDomainEvent(resource, path, pathParameters));

        Assert.Equal(expectedPathBase, result.Request!.PathBase);
        Assert.Equal(expectedPath, result.Request.Path);
        Assert.Equal(path, result.Request.RawTarget);
    }

    [Theory]
    // The segment does not hold the value the event names, a literal differs, or there is nothing to match:
    // the path is left whole, as before.
    [InlineData("/items/{id}", "/v1/items/42", """{"id":"43"}""")]
    [InlineData("/items", "/v1/other", "null")]
    [InlineData("/{proxy+}", "/v1/items/42", "null")]
    [InlineData("/{proxy+}", "/v1/items/42", """{"proxy":"other"}""")]
    [InlineData("/a/b/c/{proxy+}", "/c/x", """{"proxy":"x"}""")]
    public async Task Path_that_does_not_end_with_the_route_is_left_whole(string resource, string path, string pathParameters)
    {
        var result = await Translate.InvokeAsync(CustomDomainEvent(resource, path, pathParameters));

        Assert.Equal("", result.Request!.PathBase);
        Assert.Equal(path, result.Request.Path);
    }

    [Fact]
    public async Task Stage_and_route_together_on_the_execute_api_domain()
    {
        var result = await Translate.InvokeAsync(TestEvents.Edit(TestEvents.RestApi, root =>
        {
            root["resource"] = "/{proxy+}";
            root["path"] = "/items/42";
            root["pathParameters"] = new JsonObject { ["proxy"] = "items/42" };
            root["requestContext"]!["path"] = "/Prod/items/42";
            root["requestContext"]!["stage"] = "Prod";
        }));

        Assert.Equal("/Prod", result.Request!.PathBase);
        Assert.Equal("/items/42", result.Request.Path);
        Assert.StartsWith("/Prod/items/42?", result.Request.RawTarget, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET /items/{id}", "/beta/items/42", "beta", "id.execute-api.us-east-1.amazonaws.com", "/beta", "/items/42")]
    [InlineData("ANY /{proxy+}", "/beta/items/42", "beta", "id.execute-api.us-east-1.amazonaws.com", "/beta", "/items/42")]
    [InlineData("ANY /{proxy+}", "/items/42", "$default", "id.execute-api.us-east-1.amazonaws.com", "", "/items/42")]
    [InlineData("$default", "/beta/items/42", "beta", "id.execute-api.us-east-1.amazonaws.com", "/beta", "/items/42")]
    [InlineData("$default", "/beta/swagger/index.html", "beta", "id.execute-api.us-east-1.amazonaws.com", "/beta", "/swagger/index.html")]
    // Only starts like the stage: the stage is a whole segment or nothing.
    [InlineData("$default", "/betamax/items", "beta", "id.execute-api.us-east-1.amazonaws.com", "", "/betamax/items")]
    // The route does not match (hand-edited): the stage is still found.
    [InlineData("GET /items/{id}", "/beta/other", "beta", "id.execute-api.us-east-1.amazonaws.com", "/beta", "/other")]
    // Behind a custom domain the client's URL has no stage segment (and rawPath no API mapping path): Path loses
    // the stage, PathBase does not get it.
    [InlineData("ANY /{proxy+}", "/beta/items/42", "beta", "api.example.com", "", "/items/42")]
    [InlineData("$default", "/beta/items/42", "beta", "api.example.com", "", "/items/42")]
    [InlineData("ANY /{proxy+}", "/items/42", "$default", "api.example.com", "", "/items/42")]
    public async Task Http_api_route_and_stage_decide_PathBase(string routeKey, string rawPath, string stage, string domain, string expectedPathBase, string expectedPath)
    {
        var result = await Translate.InvokeAsync(TestEvents.Edit(TestEvents.HttpApi, root =>
        {
            root["routeKey"] = routeKey;
            root["rawPath"] = rawPath;
            root["pathParameters"] = new JsonObject { ["proxy"] = "items/42", ["id"] = "42" };
            root["requestContext"]!["stage"] = stage;
            root["requestContext"]!["domainName"] = domain;
        }));

        Assert.Equal(expectedPathBase, result.Request!.PathBase);
        Assert.Equal(expectedPath, result.Request.Path);
    }

    private static byte[] CustomDomainEvent(string resource, string path, string pathParameters) =>
        TestEvents.Edit(TestEvents.RestApi, root =>
        {
            root["resource"] = resource;
            root["path"] = path;
            root["pathParameters"] = JsonNode.Parse(pathParameters);
            root["requestContext"]!["resourcePath"] = resource;
            root["requestContext"]!["path"] = path;
            root["requestContext"]!["domainName"] = "api.example.com";
            root["requestContext"]!["stage"] = "Prod";
            root["multiValueQueryStringParameters"] = null;
            root["queryStringParameters"] = null;
        });
}
