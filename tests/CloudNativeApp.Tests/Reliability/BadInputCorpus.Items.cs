namespace CloudNativeApp.Tests.Reliability;

// Item bodies, merge patches, preconditions, ids and list queries.
public static partial class BadInputCorpus
{
    // ---- items: POST and PUT bodies -------------------------------------------------------------------------------

    /// <summary>Item bodies that must be rejected: (name, JSON, status the contract promises).</summary>
    private static (string Name, string Body, int Expected)[] InvalidItems()
    {
        var past = DateTimeOffset.UtcNow.AddDays(-1).ToString("O", CultureInfo.InvariantCulture);
        (string, string, int)[] cases =
        [
            ("missing name", "{\"description\":\"d\"}", 400),
            ("empty object", "{}", 400),
            ("null name", "{\"name\":null}", 400),
            ("empty name", "{\"name\":\"\"}", 400),
            ("blank name", "{\"name\":\"   \\t\\n \"}", 400),
            ("name of 201 characters", Item(name: new string('n', 201)), 400),
            ("name of 1 MB minus a bit", Item(name: new string('n', 1000_000)), 400),
            ("name of 201 emoji", Item(name: string.Concat(Enumerable.Repeat("😀", 201))), 400),
            ("name as number", "{\"name\":42}", 400),
            ("name as bool", "{\"name\":true}", 400),
            ("name as array", "{\"name\":[\"x\"]}", 400),
            ("name as object", "{\"name\":{\"x\":1}}", 400),
            ("description of 2001 characters", Item(description: new string('d', 2001)), 400),
            ("description of 300000 characters (over DynamoDB's item size)", Item(description: new string('d', 300_000)), 400),
            ("description as number", "{\"name\":\"n\",\"description\":1e400}", 400),
            ("category with space", Item(category: "a b"), 400),
            ("category traversal", Item(category: "../etc"), 400),
            ("category empty", Item(category: ""), 400),
            ("category of 51 characters", Item(category: new string('c', 51)), 400),
            ("category non-ASCII", Item(category: "ünï"), 400),
            ("category NUL", "{\"name\":\"n\",\"category\":\"a\\u0000b\"}", 400),
            ("category as number", "{\"name\":\"n\",\"category\":7}", 400),
            ("21 tags", "{\"name\":\"n\",\"tags\":[" + string.Join(',', Enumerable.Range(0, 21).Select(i => $"\"t{i}\"")) + "]}", 400),
            ("10000 tags", "{\"name\":\"n\",\"tags\":[" + string.Join(',', Enumerable.Range(0, 10_000).Select(i => $"\"t{i}\"")) + "]}", 400),
            ("duplicate tags", "{\"name\":\"n\",\"tags\":[\"a\",\"a\"]}", 400),
            ("empty tag", "{\"name\":\"n\",\"tags\":[\"\"]}", 400),
            ("blank tag", "{\"name\":\"n\",\"tags\":[\"  \"]}", 400),
            ("tag of 51 characters", "{\"name\":\"n\",\"tags\":[\"" + new string('t', 51) + "\"]}", 400),
            ("null tag", "{\"name\":\"n\",\"tags\":[null]}", 400),
            ("tags as string", "{\"name\":\"n\",\"tags\":\"a,b\"}", 400),
            ("tags as object", "{\"name\":\"n\",\"tags\":{\"a\":1}}", 400),
            ("nested tags", "{\"name\":\"n\",\"tags\":[[\"a\"]]}", 400),
            ("numeric tag", "{\"name\":\"n\",\"tags\":[1]}", 400),
            ("expiresAt in the past", $"{{\"name\":\"n\",\"expiresAt\":\"{past}\"}}", 400),
            ("expiresAt now-ish (epoch 0)", "{\"name\":\"n\",\"expiresAt\":\"1970-01-01T00:00:00Z\"}", 400),
            ("expiresAt year 1", "{\"name\":\"n\",\"expiresAt\":\"0001-01-01T00:00:00Z\"}", 400),
            ("expiresAt not a date", "{\"name\":\"n\",\"expiresAt\":\"tomorrow\"}", 400),
            ("expiresAt month 13", "{\"name\":\"n\",\"expiresAt\":\"2099-13-01T00:00:00Z\"}", 400),
            ("expiresAt Feb 30", "{\"name\":\"n\",\"expiresAt\":\"2099-02-30T00:00:00Z\"}", 400),
            ("expiresAt beyond year 9999", "{\"name\":\"n\",\"expiresAt\":\"+275760-09-13T00:00:00Z\"}", 400),
            ("expiresAt offset of 99 hours", "{\"name\":\"n\",\"expiresAt\":\"2099-01-01T00:00:00+99:00\"}", 400),
            ("expiresAt as number", "{\"name\":\"n\",\"expiresAt\":4102444800}", 400),
            ("expiresAt empty", "{\"name\":\"n\",\"expiresAt\":\"\"}", 400),
            ("server-managed id", "{\"name\":\"n\",\"id\":\"mine\"}", 400),
            ("server-managed version", "{\"name\":\"n\",\"version\":99}", 400),
            ("huge version", "{\"name\":\"n\",\"version\":1e400}", 400),
            ("server-managed createdAt", "{\"name\":\"n\",\"createdAt\":\"2000-01-01T00:00:00Z\"}", 400),
            ("unknown property", "{\"name\":\"n\",\"colour\":\"red\"}", 400),
            ("prototype pollution key", "{\"name\":\"n\",\"__proto__\":{\"admin\":true}}", 400),
            ("duplicate name", "{\"name\":\"a\",\"name\":\"b\"}", 400),
            ("case-duplicate name", "{\"name\":\"a\",\"Name\":\"b\"}", 400),
            ("tags nested 40 deep", "{\"name\":\"n\",\"tags\":" + new string('[', 40) + new string(']', 40) + "}", 400),
        ];
        return cases;
    }

    /// <summary>Valid item bodies with unicode edge cases: creating them is fine, a 5xx or a mangled echo is not.</summary>
    private static IEnumerable<(string Name, string Body)> UnicodeItems() =>
    [
        ("emoji name", Item(name: "🚀🔥 launch 👩‍👩‍👧‍👦")),
        ("RTL override in name", Item(name: "abc\u202Egnp.exe")),
        ("zero-width characters", Item(name: "a\u200B\u200C\u200Db\uFEFF")),
        ("combining marks", Item(name: "Z\u0351\u0355\u0359a\u0362l\u0334go")),
        ("CJK and Arabic", Item(name: "東京 مرحبا", description: "שלום עולם")),
        ("escaped NUL in name", "{\"name\":\"a\\u0000b\"}"),
        ("escaped lone high surrogate", "{\"name\":\"x\\ud800y\"}"),
        ("escaped lone low surrogate", "{\"name\":\"x\\udc00y\"}"),
        ("escaped reversed surrogate pair", "{\"name\":\"x\\udc00\\ud800y\"}"),
        ("escaped noncharacter U+FFFF", "{\"name\":\"x\\uffffy\"}"),
        ("200 astral characters (400 UTF-16 units)", Item(name: string.Concat(Enumerable.Repeat("𝒳", 100)))),
        ("script tag", Item(name: "<script>alert(1)</script>", description: "\"><img src=x onerror=alert(1)>")),
        ("SQL and template injection", Item(name: "' OR 1=1; DROP TABLE Items; --", description: "${jndi:ldap://x} {{7*7}}")),
        ("DynamoDB expression syntax", Item(name: "attribute_exists(id) AND #n = :v", category: "a-b_c")),
        ("maximum sizes", Item(name: new string('n', 200), description: new string('d', 2000), category: new string('c', 50))),
        ("unicode tag", "{\"name\":\"n\",\"tags\":[\"🚀\",\"π\",\"日本\"]}"),
    ];

    private static IEnumerable<CorpusRequest> ItemBodies(Seed seed)
    {
        var seeded = $"/items/{seed.ItemId}";
        var stale = IfMatch(seed.Version + 1000);
        foreach (var (name, body) in MalformedJson())
        {
            yield return CorpusRequest.WithBytes($"POST /items: {name}", HttpMethod.Post, "/items", body);
            // Whatever a lenient parser makes of it, a stale If-Match keeps the seeded item safe.
            yield return CorpusRequest.WithBytes($"PUT seeded: {name}", HttpMethod.Put, seeded, body) with { Headers = [("If-Match", stale)] };
        }

        foreach (var (name, body, expected) in InvalidItems())
        {
            yield return CorpusRequest.WithBody($"POST /items: {name}", HttpMethod.Post, "/items", body, expected: expected);
            yield return CorpusRequest.WithBody($"PUT seeded: {name}", HttpMethod.Put, seeded, body, expected: expected);
        }

        const string validItem = "{\"name\":\"valid\",\"description\":\"d\",\"category\":\"books\",\"tags\":[\"a\"]}";
        for (var length = 0; length < validItem.Length; length += 3)
        {
            yield return CorpusRequest.WithBody($"PUT seeded: truncated to {length} bytes", HttpMethod.Put, seeded, validItem[..length], expected: 400);
        }

        foreach (var (name, body) in UnicodeItems())
        {
            yield return CorpusRequest.WithBody($"POST /items: {name}", HttpMethod.Post, "/items", body);
            // A valid body must not slip past a stale precondition.
            yield return CorpusRequest.WithBody($"PUT seeded with stale If-Match: {name}", HttpMethod.Put, seeded, body)
                with { Headers = [("If-Match", stale)], Expected = [400, 412] };
        }
    }

    private static IEnumerable<CorpusRequest> MergePatches(Seed seed)
    {
        var seeded = $"/items/{seed.ItemId}";
        foreach (var (name, body) in MalformedJson())
        {
            yield return CorpusRequest.WithBytes($"PATCH seeded: {name}", HttpMethod.Patch, seeded, body, CorpusRequest.MergePatch)
                with { Headers = [("If-Match", IfMatch(seed.Version + 1000))] };
        }

        (string Name, string Body, int Expected)[] patches =
        [
            ("name removed", "{\"name\":null}", 400),
            ("name emptied", "{\"name\":\"\"}", 400),
            ("name too long", "{\"name\":\"" + new string('n', 201) + "\"}", 400),
            ("name wrong type", "{\"name\":5}", 400),
            ("category invalid", "{\"category\":\"no spaces allowed\"}", 400),
            ("tags duplicate", "{\"tags\":[\"a\",\"a\"]}", 400),
            ("tags wrong type", "{\"tags\":\"a\"}", 400),
            ("tags object merged into an array", "{\"tags\":{\"0\":\"a\"}}", 400),
            ("expiresAt in the past", "{\"expiresAt\":\"2000-01-01T00:00:00Z\"}", 400),
            ("expiresAt garbage", "{\"expiresAt\":\"soon\"}", 400),
            ("unknown property", "{\"colour\":\"red\"}", 400),
            ("unknown property set to null", "{\"colour\":null}", 400),
            ("id", "{\"id\":\"other\"}", 400),
            ("version", "{\"version\":1}", 400),
            ("createdAt", "{\"createdAt\":null}", 400),
            ("duplicate member", "{\"name\":\"a\",\"name\":\"b\"}", 400),
            ("case-duplicate member", "{\"name\":\"a\",\"NAME\":\"b\"}", 400),
            ("patch is an array", "[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"x\"}]", 400),
            ("patch is a string", "\"name\"", 400),
            ("patch is null", "null", 400),
            ("description too long", "{\"description\":\"" + new string('d', 2001) + "\"}", 400),
            ("deeply nested value", "{\"description\":" + string.Concat(Enumerable.Repeat("{\"a\":", 40)) + "1" + new string('}', 40) + "}", 400),
        ];
        foreach (var (name, body, expected) in patches)
        {
            yield return CorpusRequest.WithBody($"PATCH seeded: {name}", HttpMethod.Patch, seeded, body, CorpusRequest.MergePatch, expected);
        }

        // A merge patch sent as plain JSON is the wrong media type for PATCH.
        yield return CorpusRequest.WithBody("PATCH seeded as application/json", HttpMethod.Patch, seeded, "{\"name\":\"x\"}", CorpusRequest.Json, 415);
        yield return CorpusRequest.WithBody("PATCH seeded as application/json-patch+json", HttpMethod.Patch, seeded, "[]", "application/json-patch+json", 415);
        yield return CorpusRequest.WithBody("PATCH seeded without content type", HttpMethod.Patch, seeded, "{\"name\":\"x\"}", null, 415);
    }

    private static IEnumerable<CorpusRequest> PreconditionHeaders(Seed seed)
    {
        var seeded = $"/items/{seed.ItemId}";
        const string body = "{\"name\":\"must not be stored\"}";
        (string Value, int Expected)[] headers =
        [
            (IfMatch(seed.Version + 1), 412),
            (IfMatch(seed.Version - 1), 412),
            ($"W/{IfMatch(seed.Version)}", 412), // weak tags never match under strong comparison
            ($"{IfMatch(seed.Version + 1)}, {IfMatch(seed.Version + 2)}", 412),
            ("\"abc\"", 412),
            ("\"-1\"", 412),
            ("\"99999999999999999999999\"", 412),
            ("\"1e3\"", 412),
            ("\"\"", 412),
            ("garbage", 400),
            ("\"unterminated", 400),
            ("1", 400),
            ("W/", 400),
            ("**", 400),
            (", ,", 400),
        ];
        foreach (var (value, expected) in headers)
        {
            yield return CorpusRequest.WithBody($"PUT seeded If-Match {value}", HttpMethod.Put, seeded, body, expected: expected) with { Headers = [("If-Match", value)] };
            yield return CorpusRequest.WithBody($"PATCH seeded If-Match {value}", HttpMethod.Patch, seeded, body, CorpusRequest.MergePatch, expected) with { Headers = [("If-Match", value)] };
            yield return new CorpusRequest($"DELETE seeded If-Match {value}", HttpMethod.Delete, seeded) { Headers = [("If-Match", value)], Expected = CorpusRequest.Statuses(expected) };
        }

        yield return new CorpusRequest("DELETE seeded with two If-Match headers, both stale", HttpMethod.Delete, seeded)
        {
            Headers = [("If-Match", IfMatch(seed.Version + 1)), ("If-Match", IfMatch(seed.Version + 2))],
            Expected = [412],
        };
        yield return new CorpusRequest("DELETE seeded If-Match with 2000 stale tags", HttpMethod.Delete, seeded)
        {
            Expected = [412],
            Headers = [("If-Match", string.Join(", ", Enumerable.Range(seed.Version + 1, 2_000).Select(IfMatch)))],
        };
    }

    // ---- items: ids -----------------------------------------------------------------------------------------------

    private static IEnumerable<CorpusRequest> ItemIds()
    {
        (string Id, int? Expected)[] ids =
        [
            ("00000000000000000000000000000000", 404), // well-formed, missing
            ("does-not-exist", 404),
            ("..", null),
            ("..%2F..%2Fcalculator", 404),
            ("%2E%2E", null),
            ("%2F", 404),
            ("a%2Fb", 404),
            ("a%5Cb", 404),
            ("%FF", 404),
            ("%C0%AF", 404),
            ("%ED%A0%80", 404),
            ("%F0%9F%9A%80", 404),
            ("%E2%80%AEabc", 404),
            ("%20", 404),
            ("%25", 404),
            ("%", 404),
            ("%zz", 404),
            ("a;b=c", 404),
            ("'%20OR%201=1", 404),
            ("$%7Bjndi:ldap:%2F%2Fx%7D", 404),
            ("%3Cscript%3E", 404),
            (new string('a', 64), 404), // the longest id the pattern accepts
            (new string('a', 65), 404),
            (new string('a', 2048), 404), // DynamoDB's hash-key limit
            (new string('a', 4000), 404),
        ];
        foreach (var (id, expected) in ids)
        {
            var path = $"/items/{id}";
            var label = Short(id);
            yield return CorpusRequest.Get($"GET item id {label}", path, expected);
            yield return CorpusRequest.WithBody($"PUT item id {label}", HttpMethod.Put, path, "{\"name\":\"n\"}", expected: expected);
            yield return CorpusRequest.WithBody($"PATCH item id {label}", HttpMethod.Patch, path, "{\"name\":\"n\"}", CorpusRequest.MergePatch, expected);
            yield return new CorpusRequest($"DELETE item id {label}", HttpMethod.Delete, path) { Expected = CorpusRequest.Statuses(expected) };
        }

        foreach (var id in new[] { "%00", "a%00b" })
        {
            yield return ServerRejects($"GET item id {id}", $"/items/{id}", 400);
            yield return ServerRejects($"DELETE item id {id}", $"/items/{id}", 400) with { Method = HttpMethod.Delete };
            yield return ServerRejects($"PUT item id {id}", $"/items/{id}", 400) with { Method = HttpMethod.Put, Body = "{\"name\":\"n\"}"u8.ToArray(), ContentType = CorpusRequest.Json };
        }

        yield return CorpusRequest.Get("GET items traversal to calculator", "/items/../calculator/add/1/2", null);
        yield return CorpusRequest.Get("GET items trailing slash", "/items/", null);
        yield return CorpusRequest.Get("GET items double slash", "/items//x", null);
        yield return CorpusRequest.Get("GET items with path parameters", "/items/x/y/z", 404);
    }

    // ---- items: list query ----------------------------------------------------------------------------------------

    private static IEnumerable<CorpusRequest> ListQueries(Seed seed)
    {
        string[] badLimits = ["0", "101", "-1", "abc", "1.5", "1e2", "99999999999999999999", "%00", "0x10", "%D9%A1", "1%20%20x"];
        foreach (var limit in badLimits)
        {
            yield return CorpusRequest.Get($"list limit={limit}", $"/items?limit={limit}", 400);
        }

        yield return CorpusRequest.Get("list limit twice", "/items?limit=1&limit=2", 400);
        yield return CorpusRequest.Get("list empty limit (same as none)", "/items?limit=", null);
        yield return CorpusRequest.Get("list limit=+5 (a valid integer)", "/items?limit=%2B5", null);
        yield return CorpusRequest.Get("list limit with trailing NUL (.NET integer parsing ignores it)", "/items?limit=1%00", null);

        string[] badCategories = ["a%20b", "..%2F..", new string('c', 51), "%00", "%F0%9F%9A%80", "%FF"];
        foreach (var category in badCategories)
        {
            yield return CorpusRequest.Get($"list category={Short(category)}", $"/items?category={category}", 400);
        }

        var genuine = seed.NextToken;
        var flipped = genuine[..^2] + (genuine[^2] == 'A' ? 'B' : 'A') + genuine[^1];
        string[] badTokens =
        [
            "garbage!", "%00", "%FF%FE", "AAAA", "eyJ9", "e30", "W10", "bnVsbA", // {}, [], null
            B64("{\"id\":{\"S\":\"x\"}"), // one brace short
            B64("{\"id\":{\"N\":\"1\"}}"), B64("{\"id\":{\"S\":\"\"}}"), B64("{\"id\":{\"S\":\"x\"},\"extra\":{\"S\":\"y\"}}"),
            B64("{\"id\":{\"S\":\"" + new string('a', 3000) + "\"}}"), B64("{\"id\":{\"B\":\"AAAA\"}}"), B64("{\"id\":\"x\"}"),
            B64("{\"id\":{\"S\":\"x\"},\"category\":{\"S\":\"books\"},\"createdAt\":{\"S\":\"not a date\"}}"),
            B64("{\"id\":{\"S\":\"../x\"}}"), B64(new string('{', 1000)), B64("\"\\ud800\""),
            new string('A', 5000), genuine[..(genuine.Length / 2)], $"{genuine[..8]}+{genuine[9..]}", $"{genuine[..8]}%2F{genuine[9..]}",
        ];
        foreach (var token in badTokens)
        {
            yield return CorpusRequest.Get($"list nextToken={Short(token)}", $"/items?nextToken={token}", 400);
        }

        // Flipping a character inside the id still names a key (DynamoDB accepts any start key), so only a crash is wrong.
        yield return CorpusRequest.Get("list token with a character flipped", $"/items?nextToken={flipped}", null);
        yield return CorpusRequest.Get("list token with padding", $"/items?nextToken={genuine}%3D%3D", null);
        yield return CorpusRequest.Get("list genuine scan token used for a category", $"/items?category=books&nextToken={genuine}", 400);
        yield return CorpusRequest.Get("list unknown query parameter", "/items?colour=red", null);
        yield return CorpusRequest.Get("list 2 KB category", $"/items?category={new string('c', 2_000)}", 400);
        yield return ServerRejects("list 10 KB query string (request line over Kestrel's 8 KB)", $"/items?category={new string('c', 10_000)}", 414);
    }
}
