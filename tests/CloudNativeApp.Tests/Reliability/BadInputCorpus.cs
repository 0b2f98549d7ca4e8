namespace CloudNativeApp.Tests.Reliability;

/// <summary>
/// Hand-written and generated hostile requests against every endpoint. Seeded items are only ever the target of
/// requests that must not change them (bad bodies, bad or stale If-Match); requests that may legitimately succeed
/// (unicode edge cases in a valid body) only create new items. A file a concern: here the bodies every JSON endpoint
/// shares and the helpers; the calculator, items and HTTP-level requests beside it.
/// </summary>
public static partial class BadInputCorpus
{
    /// <summary>What the corpus needs to know about the data seeded before the run.</summary>
    /// <param name="ItemId">An existing item.</param>
    /// <param name="Version">Its current version.</param>
    /// <param name="NextToken">A genuine nextToken of an unfiltered listing, to tamper with.</param>
    public sealed record Seed(string ItemId, int Version, string NextToken);

    public static IReadOnlyList<CorpusRequest> Build(Seed seed)
    {
        var requests = new List<CorpusRequest>();
        requests.AddRange(CalculatorPost());
        requests.AddRange(CalculatorGet());
        requests.AddRange(ItemBodies(seed));
        requests.AddRange(MergePatches(seed));
        requests.AddRange(PreconditionHeaders(seed));
        requests.AddRange(ItemIds());
        requests.AddRange(ListQueries(seed));
        requests.AddRange(WrongMethods(seed));
        requests.AddRange(ContentTypes(seed));
        requests.AddRange(OversizedBodies(seed));
        requests.AddRange(HealthAndDocumentation());
        requests.AddRange(Headers(seed));
        return requests;
    }

    // ---- bodies shared by every JSON endpoint ---------------------------------------------------------------------

    /// <summary>Syntactically broken JSON, independent of the endpoint's schema.</summary>
    private static IEnumerable<(string Name, byte[] Body)> MalformedJson()
    {
        (string, string)[] texts =
        [
            ("empty body", ""),
            ("whitespace body", "   \r\n\t "),
            ("bare null", "null"),
            ("bare number", "42"),
            ("bare string", "\"text\""),
            ("bare true", "true"),
            ("array", "[]"),
            ("array of objects", "[{\"name\":\"x\"}]"),
            ("unclosed object", "{"),
            ("unopened object", "}"),
            ("trailing comma", "{\"name\":\"x\",}"),
            ("single quotes", "{'name':'x'}"),
            ("unquoted key", "{name:\"x\"}"),
            ("comment", "{/* c */\"name\":\"x\"}"),
            ("line comment", "{\"name\":\"x\"} // c"),
            ("two documents", "{\"name\":\"x\"}{\"name\":\"y\"}"),
            ("trailing garbage", "{\"name\":\"x\"} garbage"),
            ("NaN literal", "{\"name\":NaN}"),
            ("Infinity literal", "{\"number1\":Infinity,\"number2\":1}"),
            ("hex number", "{\"number1\":0x10,\"number2\":1}"),
            ("leading zero", "{\"number1\":01,\"number2\":1}"),
            ("plus sign", "{\"number1\":+1,\"number2\":1}"),
            ("unterminated string", "{\"name\":\"abc"),
            ("bad escape", "{\"name\":\"\\q\"}"),
            ("truncated unicode escape", "{\"name\":\"\\u12\"}"),
            ("raw control character", "{\"name\":\"a\u0001b\"}"),
            ("raw newline in string", "{\"name\":\"a\nb\"}"),
            ("deep arrays", new string('[', 5000) + new string(']', 5000)),
            ("deep objects", string.Concat(Enumerable.Repeat("{\"a\":", 2000)) + "1" + new string('}', 2000)),
            ("nesting 33 deep", "{\"name\":" + new string('[', 33) + new string(']', 33) + "}"),
            ("unclosed deep nesting", new string('[', 100_000)),
            ("number with 10000 digits", "{\"number1\":" + new string('9', 10_000) + ",\"number2\":1}"),
            ("key with 100000 characters", "{\"" + new string('k', 100_000) + "\":1}"),
        ];
        foreach (var (name, text) in texts)
        {
            yield return (name, Encoding.UTF8.GetBytes(text));
        }

        yield return ("UTF-8 BOM before JSON", [0xEF, 0xBB, 0xBF, .. "{\"name\":\"bom\"}"u8]);
        yield return ("invalid UTF-8 in a string", [.. "{\"name\":\""u8, 0xC3, 0x28, .. "\"}"u8]);
        yield return ("lone continuation byte", [.. "{\"name\":\""u8, 0x80, .. "\"}"u8]);
        yield return ("overlong encoding of '/'", [.. "{\"name\":\""u8, 0xC0, 0xAF, .. "\"}"u8]);
        yield return ("UTF-16 surrogate encoded as UTF-8 (CESU)", [.. "{\"name\":\""u8, 0xED, 0xA0, 0x80, .. "\"}"u8]);
        yield return ("code point above U+10FFFF", [.. "{\"name\":\""u8, 0xF4, 0x90, 0x80, 0x80, .. "\"}"u8]);
        yield return ("truncated multi-byte sequence at end", [.. "{\"name\":\"x\"}"u8, 0xE2, 0x82]);
        yield return ("UTF-16LE body", Encoding.Unicode.GetBytes("{\"name\":\"utf16\"}"));
        yield return ("NUL bytes", [0, 0, 0, 0]);
        yield return ("random binary", Enumerable.Range(0, 512).Select(i => (byte)((i * 131) + 7)).ToArray());
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    private static string Item(string name = "n", string? description = null, string? category = null)
    {
        var fields = new List<string> { $"\"name\":{System.Text.Json.JsonSerializer.Serialize(name, RawUnicode)}" };
        if (description is not null)
        {
            fields.Add($"\"description\":{System.Text.Json.JsonSerializer.Serialize(description, RawUnicode)}");
        }

        if (category is not null)
        {
            fields.Add($"\"category\":{System.Text.Json.JsonSerializer.Serialize(category, RawUnicode)}");
        }

        return "{" + string.Join(',', fields) + "}";
    }

    // Sends most non-ASCII text as raw UTF-8 rather than \u escapes, so the server's UTF-8 decoding is exercised too.
    private static readonly System.Text.Json.JsonSerializerOptions RawUnicode = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static CorpusRequest ServerRejects(string name, string pathAndQuery, int status) =>
        new(name, HttpMethod.Get, pathAndQuery) { Expected = [status], RejectedByServer = true };

    private static string IfMatch(int version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Short(string text) => text.Length <= 40 ? text : $"{text[..20]}…({text.Length} chars)";
}
