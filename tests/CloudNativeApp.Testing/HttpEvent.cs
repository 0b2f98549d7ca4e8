using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace CloudNativeApp.Testing;

/// <summary>The HTTP event sources a function can sit behind; the published app must serve all of them at once.</summary>
public enum HttpEventSource
{
    /// <summary>API Gateway REST API, payload format 1.0, behind the <c>Prod</c> stage.</summary>
    RestApi,

    /// <summary>API Gateway HTTP API, payload format 2.0, <c>$default</c> stage.</summary>
    HttpApi,

    /// <summary>Application Load Balancer, single-value headers.</summary>
    Alb,

    /// <summary>Application Load Balancer with multi-value headers turned on.</summary>
    AlbMultiValue,
}

/// <summary>An HTTP request as one event source delivers it to Lambda, shaped after AWS's documented examples.</summary>
public sealed record HttpEvent(HttpEventSource Source, string Method, string Path, string? Body = null, string? ContentType = null)
{
    private const string Host = "abcdef1234.execute-api.us-east-1.amazonaws.com";
    private const string ClientIp = "198.51.100.7";

    /// <summary>Query string without the '?', already percent-encoded as the client sent it.</summary>
    public string Query { get; init; } = "";

    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// The user API Gateway's authorizer verified, sent as REST API Cognito user-pool claims or HTTP API JWT claims;
    /// null for an anonymous request. ALB has no authorizer, so ALB events never carry it.
    /// </summary>
    public AuthorizerCaller? Caller { get; init; } = AuthorizerCaller.Default;

    /// <summary>The same request without authorizer claims, as API Gateway sends it for a route without an authorizer.</summary>
    public HttpEvent Anonymous() => this with { Caller = null };

    public static HttpEvent Get(HttpEventSource source, string path) => new(source, "GET", path);

    public static HttpEvent PostJson(HttpEventSource source, string path, string json) => new(source, "POST", path, json, "application/json");

    public override string ToString() => $"{Source} {Method} {Path}{(Query.Length > 0 ? "?" + Query : "")}";

    public string ToJson() => (Source switch
    {
        HttpEventSource.RestApi => RestApiEvent(),
        HttpEventSource.HttpApi => HttpApiEvent(),
        HttpEventSource.Alb => AlbEvent(multiValue: false),
        HttpEventSource.AlbMultiValue => AlbEvent(multiValue: true),
        _ => throw new ArgumentOutOfRangeException(nameof(Source), Source, null),
    }).ToJsonString();

    private List<(string Name, string Value)> AllHeaders()
    {
        var headers = new List<(string, string)>
        {
            ("accept", "application/json, application/problem+json"),
            ("host", Host),
            ("user-agent", "curl/8.5.0"),
            ("x-amzn-trace-id", "Root=1-67a1b2c3-0123456789abcdef01234567"),
            ("x-forwarded-for", ClientIp),
            ("x-forwarded-port", "443"),
            ("x-forwarded-proto", "https"),
        };
        if (Body is not null)
        {
            headers.Add(("content-type", ContentType ?? "application/json"));
            headers.Add(("content-length", Encoding.UTF8.GetByteCount(Body).ToString(CultureInfo.InvariantCulture)));
        }

        headers.AddRange(Headers.Select(header => (header.Key.ToLowerInvariant(), header.Value)));
        return headers;
    }

    private List<(string Name, string Value)> QueryParameters() =>
        Query.Length == 0
            ? []
            : [.. Query.Split('&').Select(pair => pair.Split('=', 2)).Select(parts => (parts[0], parts.Length > 1 ? parts[1] : ""))];

    private JsonObject RestApiEvent()
    {
        var headers = AllHeaders();
        var query = QueryParameters().Select(pair => (Uri.UnescapeDataString(pair.Name), Uri.UnescapeDataString(pair.Value))).ToList();
        var restEvent = new JsonObject
        {
            ["resource"] = "/{proxy+}",
            ["path"] = Path,
            ["httpMethod"] = Method,
            ["headers"] = SingleValue(headers),
            ["multiValueHeaders"] = MultiValue(headers),
            ["queryStringParameters"] = query.Count == 0 ? null : SingleValue(query),
            ["multiValueQueryStringParameters"] = query.Count == 0 ? null : MultiValue(query),
            ["pathParameters"] = new JsonObject { ["proxy"] = Path.TrimStart('/') },
            ["stageVariables"] = null,
            ["requestContext"] = new JsonObject
            {
                ["resourceId"] = "2gxmpl",
                ["resourcePath"] = "/{proxy+}",
                ["httpMethod"] = Method,
                ["extendedRequestId"] = "JJbxmplHYosFVYQ=",
                ["requestTime"] = "10/Mar/2020:00:03:59 +0000",
                ["path"] = "/Prod" + Path,
                ["accountId"] = "123456789012",
                ["protocol"] = "HTTP/1.1",
                ["stage"] = "Prod",
                ["domainPrefix"] = "abcdef1234",
                ["requestTimeEpoch"] = 1583798639428,
                ["requestId"] = Guid.NewGuid().ToString(),
                ["identity"] = new JsonObject { ["sourceIp"] = ClientIp, ["userAgent"] = "curl/8.5.0" },
                ["domainName"] = Host,
                ["apiId"] = "abcdef1234",
            },
            ["body"] = Body,
            ["isBase64Encoded"] = false,
        };
        if (Caller is not null)
        {
            restEvent["requestContext"]!["authorizer"] = Caller.RestApiAuthorizer();
        }

        return restEvent;
    }

    private JsonObject HttpApiEvent()
    {
        var headers = AllHeaders();
        var query = QueryParameters().Select(pair => (Uri.UnescapeDataString(pair.Name), Uri.UnescapeDataString(pair.Value))).ToList();
        var joinedQuery = new JsonObject();
        foreach (var group in query.GroupBy(pair => pair.Item1, StringComparer.Ordinal))
        {
            joinedQuery[group.Key] = string.Join(',', group.Select(pair => pair.Item2));
        }

        var httpEvent = new JsonObject
        {
            ["version"] = "2.0",
            ["routeKey"] = "$default",
            ["rawPath"] = Path,
            ["rawQueryString"] = Query,
            ["headers"] = SingleValue(headers),
            ["requestContext"] = new JsonObject
            {
                ["accountId"] = "123456789012",
                ["apiId"] = "abcdef1234",
                ["domainName"] = Host,
                ["domainPrefix"] = "abcdef1234",
                ["http"] = new JsonObject
                {
                    ["method"] = Method,
                    ["path"] = Path,
                    ["protocol"] = "HTTP/1.1",
                    ["sourceIp"] = ClientIp,
                    ["userAgent"] = "curl/8.5.0",
                },
                ["requestId"] = "JKJaXmPLvHcESHA=",
                ["routeKey"] = "$default",
                ["stage"] = "$default",
                ["time"] = "10/Mar/2020:05:16:23 +0000",
                ["timeEpoch"] = 1583817383220,
            },
            ["isBase64Encoded"] = false,
        };
        if (Caller is not null)
        {
            httpEvent["requestContext"]!["authorizer"] = Caller.HttpApiAuthorizer();
        }

        if (query.Count > 0)
        {
            httpEvent["queryStringParameters"] = joinedQuery;
        }

        if (Body is not null)
        {
            httpEvent["body"] = Body;
        }

        return httpEvent;
    }

    // ALB passes the query string and its values as the client sent them (still percent-encoded).
    private JsonObject AlbEvent(bool multiValue)
    {
        var headers = AllHeaders();
        var query = QueryParameters();
        var albEvent = new JsonObject
        {
            ["requestContext"] = new JsonObject
            {
                ["elb"] = new JsonObject { ["targetGroupArn"] = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/lambda-279XGJDqGZ5rsrHC2Fjr/49e9d65c45c6791a" },
            },
            ["httpMethod"] = Method,
            ["path"] = Path,
            ["body"] = Body ?? "",
            ["isBase64Encoded"] = false,
        };
        if (multiValue)
        {
            albEvent["multiValueQueryStringParameters"] = MultiValue(query);
            albEvent["multiValueHeaders"] = MultiValue(headers);
        }
        else
        {
            albEvent["queryStringParameters"] = SingleValue(query);
            albEvent["headers"] = SingleValue(headers);
        }

        return albEvent;
    }

    private static JsonObject SingleValue(IEnumerable<(string Name, string Value)> pairs)
    {
        var result = new JsonObject();
        foreach (var (name, value) in pairs)
        {
            result[name] = value;
        }

        return result;
    }

    private static JsonObject MultiValue(IEnumerable<(string Name, string Value)> pairs)
    {
        var result = new JsonObject();
        foreach (var group in pairs.GroupBy(pair => pair.Name, StringComparer.Ordinal))
        {
            result[group.Key] = new JsonArray([.. group.Select(pair => (JsonNode?)JsonValue.Create(pair.Value))]);
        }

        return result;
    }
}
