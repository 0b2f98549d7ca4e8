namespace CloudNativeApp.Lambda.EndToEnd.Tests;

/// <summary>The authorizer event formats API Gateway sends a Lambda authorizer, shaped after the API Gateway developer guide.</summary>
public enum AuthorizerEventKind
{
    /// <summary>REST API TOKEN authorizer: authorizationToken and methodArn.</summary>
    RestApiToken,

    /// <summary>REST API REQUEST authorizer: the whole request (httpMethod, headers …) and methodArn.</summary>
    RestApiRequest,

    /// <summary>HTTP API payload 2.0 REQUEST authorizer: version "2.0", routeArn, identitySource, and the request (rawPath, requestContext.http).</summary>
    HttpApiRequest,
}

internal static class AuthorizerEvent
{
    public const string MethodArn = "arn:aws:execute-api:us-east-1:123456789012:abcdef1234/Prod/POST/items";

    public static TheoryData<AuthorizerEventKind> Kinds => new(Enum.GetValues<AuthorizerEventKind>());

    /// <summary>The event for a <c>POST /items</c> with <paramref name="authorization"/> as its Authorization header (null: none).</summary>
    public static string For(AuthorizerEventKind kind, string? authorization) => (kind switch
    {
        AuthorizerEventKind.RestApiToken => new JsonObject
        {
            ["type"] = "TOKEN",
            // API Gateway only invokes a TOKEN authorizer with a token; the function must still cope without one.
            ["authorizationToken"] = authorization,
            ["methodArn"] = MethodArn,
        },
        AuthorizerEventKind.RestApiRequest => new JsonObject
        {
            ["type"] = "REQUEST",
            ["methodArn"] = MethodArn,
            ["resource"] = "/{proxy+}",
            ["path"] = "/items",
            ["httpMethod"] = "POST",
            ["headers"] = Headers(authorization, "Authorization"),
            ["multiValueHeaders"] = null,
            ["queryStringParameters"] = null,
            ["pathParameters"] = new JsonObject { ["proxy"] = "items" },
            ["stageVariables"] = null,
            ["requestContext"] = new JsonObject
            {
                ["path"] = "/Prod/items",
                ["accountId"] = "123456789012",
                ["resourceId"] = "2gxmpl",
                ["stage"] = "Prod",
                ["requestId"] = Guid.NewGuid().ToString(),
                ["identity"] = new JsonObject { ["sourceIp"] = "198.51.100.7", ["userAgent"] = "curl/8.5.0" },
                ["resourcePath"] = "/{proxy+}",
                ["httpMethod"] = "POST",
                ["apiId"] = "abcdef1234",
            },
        },
        AuthorizerEventKind.HttpApiRequest => new JsonObject
        {
            ["version"] = "2.0",
            ["type"] = "REQUEST",
            ["routeArn"] = "arn:aws:execute-api:us-east-1:123456789012:abcdef1234/$default/POST/items",
            ["identitySource"] = authorization is null ? null : new JsonArray(authorization),
            ["routeKey"] = "$default",
            ["rawPath"] = "/items",
            ["rawQueryString"] = "",
            ["headers"] = Headers(authorization, "authorization"),
            ["requestContext"] = new JsonObject
            {
                ["accountId"] = "123456789012",
                ["apiId"] = "abcdef1234",
                ["domainName"] = "abcdef1234.execute-api.us-east-1.amazonaws.com",
                ["http"] = new JsonObject { ["method"] = "POST", ["path"] = "/items", ["protocol"] = "HTTP/1.1", ["sourceIp"] = "198.51.100.7", ["userAgent"] = "curl/8.5.0" },
                ["requestId"] = "JKJaXmPLvHcESHA=",
                ["routeKey"] = "$default",
                ["stage"] = "$default",
                ["timeEpoch"] = 1583817383220,
            },
        },
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    }).ToJsonString();

    private static JsonObject Headers(string? authorization, string name)
    {
        var headers = new JsonObject { ["content-type"] = "application/json", ["user-agent"] = "curl/8.5.0" };
        if (authorization is not null)
        {
            headers[name] = authorization;
        }

        return headers;
    }
}
