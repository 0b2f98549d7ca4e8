namespace CloudNativeApp.Tests.Reliability;

// What is wrong at the HTTP level whatever the endpoint: methods, media types, sizes, headers.
public static partial class BadInputCorpus
{
    private const int OverOneMegabyte = (1024 * 1024) + 1024;

    private static IEnumerable<CorpusRequest> WrongMethods(Seed seed)
    {
        var seeded = $"/items/{seed.ItemId}";
        (HttpMethod Method, string Path)[] cases =
        [
            (HttpMethod.Put, "/calculator"), (HttpMethod.Delete, "/calculator"), (HttpMethod.Patch, "/calculator"), (HttpMethod.Get, "/calculator"),
            (HttpMethod.Post, "/calculator/add/1/2"), (HttpMethod.Delete, "/calculator/divide/1/2"), (HttpMethod.Put, "/calculator/multiply/1/2"),
            (HttpMethod.Put, "/items"), (HttpMethod.Patch, "/items"), (HttpMethod.Delete, "/items"),
            (HttpMethod.Post, seeded), (new HttpMethod("TRACE"), seeded), (new HttpMethod("PROPFIND"), "/items"),
            (new HttpMethod("FOO"), "/calculator"),
        ];
        foreach (var (method, path) in cases)
        {
            yield return new CorpusRequest($"wrong method {method} {path}", method, path) { Expected = [405] };
        }
    }

    private static IEnumerable<CorpusRequest> ContentTypes(Seed seed)
    {
        var seeded = $"/items/{seed.ItemId}";
        string?[] types = ["text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/octet-stream", null];
        foreach (var type in types)
        {
            yield return CorpusRequest.WithBody($"calculator as {type ?? "no content type"}", HttpMethod.Post, "/calculator", "{\"number1\":1,\"number2\":2}", type, 415);
            yield return CorpusRequest.WithBody($"POST /items as {type ?? "no content type"}", HttpMethod.Post, "/items", "{\"name\":\"n\"}", type, 415);
            yield return CorpusRequest.WithBody($"PUT seeded as {type ?? "no content type"}", HttpMethod.Put, seeded, "{\"name\":\"n\"}", type, 415);
        }

        // Malformed Content-Type values: either unsupported (415) or unreadable (400), never a crash.
        string[] malformed = [";;;", "application/", "/json", "application/json; x=\"unterminated", "application/json; charset=\"utf-8"];
        foreach (var type in malformed)
        {
            yield return CorpusRequest.WithBody($"POST /items Content-Type {Short(type)}", HttpMethod.Post, "/items", "{\"name\":\"n\"}", type);
        }

        // A charset the server cannot decode is an unsupported media type, wherever the body goes.
        string[] unknownCharsets = ["application/json; charset=utf-99", "application/json; charset=", "application/json; charset=\"\""];
        foreach (var type in unknownCharsets)
        {
            yield return CorpusRequest.WithBody($"POST /items Content-Type {type}", HttpMethod.Post, "/items", "{\"name\":\"n\"}", type, 415);
            yield return CorpusRequest.WithBody($"POST /calculator Content-Type {type}", HttpMethod.Post, "/calculator", "{\"number1\":1,\"number2\":2}", type, 415);
            yield return CorpusRequest.WithBody($"PATCH seeded Content-Type {type}", HttpMethod.Patch, seeded, "{\"name\":\"n\"}", type.Replace("application/json", CorpusRequest.MergePatch, StringComparison.Ordinal), 415);
        }

        yield return CorpusRequest.WithBody("POST /items as UTF-16 JSON", HttpMethod.Post, "/items", "{\"name\":\"n\"}", "application/json; charset=utf-16", 400);
    }

    private static IEnumerable<CorpusRequest> OversizedBodies(Seed seed)
    {
        var seeded = $"/items/{seed.ItemId}";
        var bigItem = Item(name: "big", description: new string('d', OverOneMegabyte));
        var bigCalculation = "{\"number1\":1,\"number2\":2,\"pad\":\"" + new string(' ', OverOneMegabyte) + "\"}";
        yield return CorpusRequest.WithBody("oversized calculator body", HttpMethod.Post, "/calculator", bigCalculation, expected: 413);
        yield return CorpusRequest.WithBody("oversized item body", HttpMethod.Post, "/items", bigItem, expected: 413);
        yield return CorpusRequest.WithBody("oversized PUT body", HttpMethod.Put, seeded, bigItem, expected: 413);
        yield return CorpusRequest.WithBody("oversized PATCH body", HttpMethod.Patch, seeded, bigItem, CorpusRequest.MergePatch, 413);
        yield return CorpusRequest.WithBody("oversized chunked item body", HttpMethod.Post, "/items", bigItem, expected: 413) with { Chunked = true };
        yield return CorpusRequest.WithBody("oversized chunked PATCH body", HttpMethod.Patch, seeded, bigItem, CorpusRequest.MergePatch, 413) with { Chunked = true };
        yield return CorpusRequest.WithBody("100 KB body on a GET", HttpMethod.Get, "/items", new string('x', 100_000), expected: 200);
    }

    private static IEnumerable<CorpusRequest> HealthAndDocumentation()
    {
        yield return CorpusRequest.Get("health", "/health", 200);
        yield return CorpusRequest.Get("health ready", "/health/ready", 200);
        yield return CorpusRequest.Get("health with junk query", "/health?x=%00%FF&y", 200);
        yield return CorpusRequest.Get("health traversal", "/health/../health/ready", null);
        yield return CorpusRequest.Get("health unknown child", "/health/unknown", 404);
        yield return CorpusRequest.WithBody("health with a JSON body", HttpMethod.Post, "/health", "{\"x\":1}");
        // (Endpoints that ignore bodies are not sent oversized ones: Kestrel answers and closes before the client
        // has finished sending, and the client then reports a broken pipe instead of the answer.)
        yield return CorpusRequest.WithBody("health with a 100 KB body", HttpMethod.Post, "/health", new string('x', 100_000), "text/plain", 200);
        yield return CorpusRequest.Get("swagger document", "/swagger/v1/swagger.json", 200);
        yield return CorpusRequest.Get("swagger unknown document", "/swagger/v2/swagger.json", 404);
        yield return CorpusRequest.Get("swagger traversal", "/swagger/..%2F..%2Fappsettings.json", 404);
        yield return CorpusRequest.Get("swagger document traversal", "/swagger/../../../etc/passwd", 404);
        yield return CorpusRequest.Get("swagger ui", "/swagger/index.html", 200);
        yield return CorpusRequest.Get("swagger ui script injection in query", "/swagger/index.html?url=javascript:alert(1)", 200);
        yield return CorpusRequest.WithBody("swagger document POST", HttpMethod.Post, "/swagger/v1/swagger.json", "{}", expected: null);
        yield return CorpusRequest.Get("unknown route", "/unknown", 404);
        yield return CorpusRequest.Get("root", "/", null);
        yield return ServerRejects("encoded NUL route", "/%00", 400);
        yield return CorpusRequest.Get("invalid UTF-8 route", "/%C3%28", 404);
    }

    private static IEnumerable<CorpusRequest> Headers(Seed seed)
    {
        var seeded = $"/items/{seed.ItemId}";
        yield return CorpusRequest.Get("Accept: application/xml", seeded, 200) with { Headers = [("Accept", "application/xml")] };
        yield return CorpusRequest.Get("Accept garbage", seeded, 200) with { Headers = [("Accept", ";;;/;")] };
        yield return CorpusRequest.Get("If-None-Match garbage", seeded, 200) with { Headers = [("If-None-Match", "garbage")] };
        yield return CorpusRequest.Get("Authorization garbage with auth off", seeded, 200) with { Headers = [("Authorization", "Bearer not.a.jwt")] };
        yield return CorpusRequest.Get("Origin not allowed", seeded, 200) with { Headers = [("Origin", "https://evil.example")] };
        yield return new CorpusRequest("CORS preflight from a foreign origin", HttpMethod.Options, "/items")
        {
            Headers = [("Origin", "https://evil.example"), ("Access-Control-Request-Method", "DELETE")],
        };
        yield return CorpusRequest.WithBody("Idempotency-Key of 10 KB", HttpMethod.Post, "/items", "{\"name\":\"n\",\"colour\":1}", expected: 400)
            with { Headers = [("Idempotency-Key", new string('k', 10_000))] };
        yield return CorpusRequest.WithBody("Content-Encoding gzip on plain JSON", HttpMethod.Post, "/calculator", "{\"number1\":1,\"number2\":2}")
            with { Headers = [("Content-Encoding", "gzip")] };
        yield return CorpusRequest.Get("X-HTTP-Method-Override DELETE", seeded, 200) with { Headers = [("X-HTTP-Method-Override", "DELETE")] };
    }
}
