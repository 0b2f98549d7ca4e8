namespace CloudNativeApp.Benchmarks;

/// <summary>
/// A benchmark mode's command line: <c>--name value</c> options (repeatable) and <c>--flag</c> switches, read typed
/// with a default. Anything unknown or unreadable is remembered in <see cref="Error"/>, so a mode checks once and
/// prints its usage.
/// </summary>
internal sealed class BenchmarkOptions
{
    private readonly Dictionary<string, List<string>> values = new(StringComparer.Ordinal);
    private readonly HashSet<string> switches = new(StringComparer.Ordinal);

    private BenchmarkOptions()
    {
    }

    /// <summary>The first problem found, or null.</summary>
    public string? Error { get; private set; }

    /// <summary>Reads <paramref name="args"/>: <paramref name="options"/> take a value, <paramref name="flags"/> do not.</summary>
    public static BenchmarkOptions Parse(string[] args, string[] options, string[]? flags = null)
    {
        var parsed = new BenchmarkOptions();
        for (var i = 0; i < args.Length; i++)
        {
            if (flags?.Contains(args[i]) == true)
            {
                parsed.switches.Add(args[i]);
            }
            else if (options.Contains(args[i]) && i + 1 < args.Length)
            {
                if (!parsed.values.TryGetValue(args[i], out var list))
                {
                    parsed.values[args[i]] = list = [];
                }

                list.Add(args[++i]);
            }
            else
            {
                parsed.Fail($"Unexpected argument '{args[i]}'.");
            }
        }

        return parsed;
    }

    public bool Has(string flag) => switches.Contains(flag);

    /// <summary>Every value given for <paramref name="name"/>, in order.</summary>
    public IReadOnlyList<string> All(string name) => values.TryGetValue(name, out var list) ? list : [];

    /// <summary>The last value given for <paramref name="name"/>, or <paramref name="fallback"/>.</summary>
    public string? Text(string name, string? fallback = null) => All(name) is [.., var last] ? last : fallback;

    /// <summary>Every value of <paramref name="name"/>, each an existing file; at least one when <paramref name="required"/>.</summary>
    public IReadOnlyList<string> Files(string name, bool required = true)
    {
        var files = All(name);
        foreach (var missing in files.Where(file => !File.Exists(file)))
        {
            Fail($"{name} {missing}: no such file.");
        }

        if (required && files.Count == 0)
        {
            Fail($"Name the published app with {name}.");
        }

        return files;
    }

    /// <summary>Every <c>NAME=VALUE</c> given for <paramref name="name"/> (environment variables for the measured process), in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Assignments(string name)
    {
        var assignments = new List<KeyValuePair<string, string>>();
        foreach (var assignment in All(name))
        {
            var separator = assignment.IndexOf('=', StringComparison.Ordinal);
            if (separator <= 0)
            {
                Fail($"{name} {assignment}: expected NAME=VALUE.");
                continue;
            }

            assignments.Add(new(assignment[..separator], assignment[(separator + 1)..]));
        }

        return assignments;
    }

    /// <summary>A whole number of at least <paramref name="minimum"/>.</summary>
    public int Int(string name, int fallback, int minimum = 1) =>
        Text(name) is not { } text ? fallback : Checked(name, text, ParseInt(text), minimum) ?? fallback;

    /// <summary>A comma-separated list of whole numbers, each at least <paramref name="minimum"/>.</summary>
    public int[] Ints(string name, int[] fallback, int minimum = 1)
    {
        if (Text(name) is not { } text)
        {
            return fallback;
        }

        var numbers = text.Split(',').Select(part => Checked(name, text, ParseInt(part), minimum)).ToArray();
        return numbers.All(number => number is not null) ? [.. numbers.Select(number => number!.Value)] : fallback;
    }

    /// <summary>A number above zero.</summary>
    public double Positive(string name, double fallback)
    {
        if (Text(name) is not { } text)
        {
            return fallback;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0)
        {
            return value;
        }

        Fail($"{name} {text}: expected a number above zero.");
        return fallback;
    }

    /// <summary>One of <paramref name="choices"/>.</summary>
    public string Choice(string name, string fallback, params string[] choices)
    {
        var text = Text(name, fallback)!;
        if (!choices.Contains(text, StringComparer.Ordinal))
        {
            Fail($"{name} {text}: expected one of {string.Join(", ", choices)}.");
            return fallback;
        }

        return text;
    }

    /// <summary>When something was wrong: writes it and <paramref name="usage"/> to stderr and gives exit code 2.</summary>
    public async Task<int?> ReportErrorAsync(string usage)
    {
        if (Error is null)
        {
            return null;
        }

        await Console.Error.WriteLineAsync($"{Error}\nUsage: {usage}");
        return 2;
    }

    private static int? ParseInt(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;

    private int? Checked(string name, string text, int? value, int minimum)
    {
        if (value >= minimum)
        {
            return value;
        }

        Fail($"{name} {text}: expected whole numbers of at least {minimum}.");
        return null;
    }

    private void Fail(string message) => Error ??= message;
}
