using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CloudNativeApp.Benchmarks;

/// <summary>
/// The events the benchmarks feed the adapter: what API Gateway sends for a curl request (AWS's sample events,
/// with the headers a real client adds), as a small GET and a POST with a 4 KB JSON body.
/// </summary>
public static class BenchmarkEvents
{
    public const int PostBodyBytes = 4096;

    public static byte[] SmallGet(LambdaEventSource source) => Encoding.UTF8.GetBytes(Template(source).ToJsonString());

    public static byte[] Post4KB(LambdaEventSource source) => PostJson(source, "/items", JsonBody(PostBodyBytes));

    /// <summary>A POST of <paramref name="json"/> to <paramref name="path"/>, as API Gateway sends a curl request.</summary>
    public static byte[] PostJson(LambdaEventSource source, string path, string json)
    {
        var node = Template(source);
        var length = Encoding.UTF8.GetByteCount(json).ToString(CultureInfo.InvariantCulture);
        switch (source)
        {
            case LambdaEventSource.RestApi:
                node["path"] = path;
                node["httpMethod"] = "POST";
                node["requestContext"]!["path"] = "/Prod" + path;
                node["requestContext"]!["httpMethod"] = "POST";
                node["pathParameters"]!["proxy"] = path.TrimStart('/');
                node["headers"]!["content-type"] = "application/json";
                node["headers"]!["content-length"] = length;
                node["multiValueHeaders"]!["content-type"] = new JsonArray("application/json");
                node["multiValueHeaders"]!["content-length"] = new JsonArray(length);
                break;
            case LambdaEventSource.HttpApi:
                node["rawPath"] = path;
                node["requestContext"]!["http"]!["path"] = path;
                node["requestContext"]!["http"]!["method"] = "POST";
                node["headers"]!["content-type"] = "application/json";
                node["headers"]!["content-length"] = length;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(source), source, "Only the API Gateway payload formats are benchmarked.");
        }

        node["body"] = json;
        return Encoding.UTF8.GetBytes(node.ToJsonString());
    }

    /// <summary>A GET of <paramref name="path"/> through a Lambda Function URL (payload 2.0 on a <c>lambda-url</c> domain).</summary>
    public static byte[] FunctionUrlGet(string path)
    {
        var node = Template(LambdaEventSource.HttpApi);
        const string domain = "r3pmxmplak.lambda-url.us-east-2.on.aws";
        node["rawPath"] = path;
        node["headers"]!["host"] = domain;
        node["requestContext"]!["domainName"] = domain;
        node["requestContext"]!["http"]!["path"] = path;
        return Encoding.UTF8.GetBytes(node.ToJsonString());
    }

    /// <summary>
    /// An HTTP API <c>GET /items/{id}</c> of the item whose creation (<c>POST /items</c>, 201) is <paramref name="created"/>;
    /// fails with the outcome otherwise.
    /// </summary>
    public static byte[] ReadOfCreatedItem(InvocationOutcome created)
    {
        ArgumentNullException.ThrowIfNull(created);
        var response = created.ResponseJson();
        if (!created.Succeeded || response.GetProperty("statusCode").GetInt32() != 201)
        {
            throw new InvalidOperationException($"Could not create the item: {created}.");
        }

        using var item = JsonDocument.Parse(response.GetProperty("body").GetString()!);
        var path = $"/items/{item.RootElement.GetProperty("id").GetString()}";
        var node = Template(LambdaEventSource.HttpApi);
        node["rawPath"] = path;
        node["requestContext"]!["http"]!["path"] = path;
        return Encoding.UTF8.GetBytes(node.ToJsonString());
    }

    /// <summary>A JSON document of exactly <paramref name="bytes"/> bytes, like an item with a long description.</summary>
    public static string JsonBody(int bytes)
    {
        const string Prefix = """{"name":"Benchmark item","tags":["a","b"],"description":" """;
        const string Suffix = "\"}";
        var filler = bytes - Prefix.Length - Suffix.Length + 1;
        return string.Concat(Prefix.AsSpan(0, Prefix.Length - 1), new string('x', filler), Suffix);
    }

    private static JsonNode Template(LambdaEventSource source)
    {
        var name = source switch
        {
            LambdaEventSource.RestApi => "apigw-v1-get.json",
            LambdaEventSource.HttpApi => "apigw-v2-get.json",
            _ => throw new ArgumentOutOfRangeException(nameof(source), source, "Only the API Gateway payload formats are benchmarked."),
        };

        using var stream = typeof(BenchmarkEvents).Assembly.GetManifestResourceStream($"Events.{name}")
            ?? throw new InvalidOperationException($"Embedded event {name} is missing.");
        return JsonNode.Parse(stream) ?? throw new InvalidOperationException($"Embedded event {name} is empty.");
    }

    internal static JsonElement ParseResponse(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        using var document = JsonDocument.ParseValue(ref reader);
        return document.RootElement.Clone();
    }
}
