namespace CloudNativeApp.Tests.Reliability;

// The calculator's POST bodies and GET route values.
public static partial class BadInputCorpus
{
    private static IEnumerable<CorpusRequest> CalculatorPost()
    {
        foreach (var (name, body) in MalformedJson())
        {
            yield return CorpusRequest.WithBytes($"calculator: {name}", HttpMethod.Post, "/calculator", body);
        }

        // Every proper prefix of a valid body is truncated JSON: always 400.
        const string valid = "{\"number1\":10.5,\"number2\":-20}";
        for (var length = 0; length < valid.Length; length++)
        {
            yield return CorpusRequest.WithBody($"calculator: truncated to {length} bytes", HttpMethod.Post, "/calculator", valid[..length], expected: 400);
        }

        (string Name, string Body, int? Expected)[] cases =
        [
            ("number as string", "{\"number1\":\"10\",\"number2\":20}", 400),
            ("number as bool", "{\"number1\":true,\"number2\":20}", 400),
            ("number as null", "{\"number1\":null,\"number2\":20}", 400),
            ("number as array", "{\"number1\":[1],\"number2\":20}", 400),
            ("number as object", "{\"number1\":{\"v\":1},\"number2\":20}", 400),
            ("missing number2", "{\"number1\":1}", 400),
            ("empty object", "{}", 400),
            ("unknown property", "{\"number1\":1,\"number2\":2,\"number3\":3}", 400),
            ("duplicate property", "{\"number1\":1,\"number1\":2,\"number2\":3}", 400),
            ("case-duplicate property", "{\"number1\":1,\"Number1\":2,\"number2\":3}", 400),
            ("1e400", "{\"number1\":1e400,\"number2\":1}", 400),
            ("-1e400", "{\"number1\":-1e400,\"number2\":1}", 400),
            ("1e-400", "{\"number1\":1e-400,\"number2\":1}", null),
            ("decimal max + 1", "{\"number1\":79228162514264337593543950336,\"number2\":1}", 400),
            ("overflowing product", "{\"number1\":1e28,\"number2\":1e28}", 422),
            ("overflowing quotient", "{\"number1\":79228162514264337593543950335,\"number2\":0.1}", 422),
            ("divide by zero", "{\"number1\":1,\"number2\":0}", 400),
            ("divide by negative zero", "{\"number1\":1,\"number2\":-0.0}", 400),
            ("tiny divisor", "{\"number1\":1,\"number2\":0.0000000000000000000000000001}", null),
            ("NUL in property name", "{\"number1\\u0000\":1,\"number2\":2}", 400),
            ("lone surrogate property name", "{\"\\ud800\":1,\"number2\":2}", 400),
            ("emoji property name", "{\"🚀\":1,\"number2\":2}", 400),
        ];
        foreach (var (name, body, expected) in cases)
        {
            yield return CorpusRequest.WithBody($"calculator: {name}", HttpMethod.Post, "/calculator", body, expected: expected);
        }
    }

    private static IEnumerable<CorpusRequest> CalculatorGet()
    {
        string[] operations = ["add", "subtract", "multiply", "divide"];
        (string Value, int? Expected)[] badValues =
        [
            ("abc", 400), ("1e400", 400), ("NaN", 400), ("Infinity", 400), ("1,5", null), // decimal binding accepts thousands separators: 15 ("0x10", 400),
            ("%FF", 400), ("%E2%80%AE1", 400), ("%F0%9F%9A%80", 400), ("1%20", null),
            (new string('9', 5000), 400), ("79228162514264337593543950336", 400), ("--1", 400), ("1..2", 400),
            ("%D9%A1%D9%A2", null), // Arabic-Indic digits
        ];
        foreach (var operation in operations)
        {
            foreach (var (value, expected) in badValues)
            {
                yield return CorpusRequest.Get($"calculator GET {operation} x={Short(value)}", $"/calculator/{operation}/{value}/2", expected);
            }

            yield return ServerRejects($"calculator GET {operation} x=NUL", $"/calculator/{operation}/%00/2", 400);
        }

        yield return CorpusRequest.Get("calculator GET divide by zero", "/calculator/divide/1/0", 400);
        yield return CorpusRequest.Get("calculator GET divide by -0", "/calculator/divide/1/-0.000", 400);
        yield return CorpusRequest.Get("calculator GET overflow", "/calculator/multiply/79228162514264337593543950335/2", 422);
        yield return CorpusRequest.Get("calculator GET missing y", "/calculator/add/1", 404);
        yield return CorpusRequest.Get("calculator GET extra segment", "/calculator/add/1/2/3", 404);
        yield return CorpusRequest.Get("calculator GET unknown operation", "/calculator/power/1/2", 404);
        yield return CorpusRequest.Get("calculator GET traversal", "/calculator/add/../../items", null);
        yield return CorpusRequest.Get("calculator GET encoded slash", "/calculator/add/1%2F2/3", 400);
    }
}
