namespace CloudNativeApp.Deployment.Tests;

/// <summary>The repository's Dockerfile, parsed into stages and instructions (enough for the checks here, not a full parser).</summary>
public sealed partial class Dockerfile
{
    private Dockerfile(IReadOnlyDictionary<string, string> globalArguments, IReadOnlyList<DockerStage> stages)
    {
        GlobalArguments = globalArguments;
        Stages = stages;
    }

    public static string Path => RepositoryRoot.Resolve("Dockerfile");

    /// <summary>ARGs before the first FROM, with their defaults.</summary>
    public IReadOnlyDictionary<string, string> GlobalArguments { get; }

    public IReadOnlyList<DockerStage> Stages { get; }

    public DockerStage FinalStage => Stages[^1];

    public DockerStage Stage(string name) => Stages.Single(stage => stage.Name == name);

    public static Dockerfile Load() => Parse(File.ReadAllText(Path));

    public static Dockerfile Parse(string text)
    {
        var arguments = new Dictionary<string, string>(StringComparer.Ordinal);
        var stages = new List<DockerStage>();
        foreach (var (keyword, rest) in Instructions(text))
        {
            if (keyword == "FROM")
            {
                var words = rest.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(word => !word.StartsWith("--", StringComparison.Ordinal)).ToArray();
                stages.Add(new DockerStage(words[0], words.Length == 3 && words[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? words[2] : null));
            }
            else if (stages.Count == 0)
            {
                if (keyword == "ARG")
                {
                    var (name, value) = SplitAssignment(rest);
                    arguments[name] = value;
                }
            }
            else
            {
                stages[^1].Add(keyword, rest);
            }
        }

        return new Dockerfile(arguments, stages);
    }

    /// <summary>Instructions with line continuations joined and comments dropped.</summary>
    private static IEnumerable<(string Keyword, string Arguments)> Instructions(string text)
    {
        var current = "";
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            if (current.Length == 0 && (line.TrimStart().StartsWith('#') || string.IsNullOrWhiteSpace(line)))
            {
                continue;
            }

            if (line.TrimStart().StartsWith('#'))
            {
                continue; // A comment inside a continued instruction.
            }

            if (line.EndsWith('\\'))
            {
                current += line[..^1] + " ";
                continue;
            }

            current += line;
            var trimmed = current.Trim();
            var space = trimmed.IndexOf(' ', StringComparison.Ordinal);
            yield return (trimmed[..space].ToUpperInvariant(), Whitespace().Replace(trimmed[(space + 1)..], " ").Trim());
            current = "";
        }
    }

    internal static (string Name, string Value) SplitAssignment(string text)
    {
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        return equals < 0 ? (text.Trim(), "") : (text[..equals].Trim(), text[(equals + 1)..].Trim().Trim('"'));
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}

public sealed class DockerStage(string baseImage, string? name)
{
    private readonly List<(string Keyword, string Arguments)> _instructions = [];

    /// <summary>The FROM image as written (e.g. <c>${RUNTIME_IMAGE}</c>).</summary>
    public string BaseImage { get; } = baseImage;

    public string? Name { get; } = name;

    public IReadOnlyList<(string Keyword, string Arguments)> Instructions => _instructions;

    public IEnumerable<string> All(string keyword) => _instructions.Where(instruction => instruction.Keyword == keyword).Select(instruction => instruction.Arguments);

    public string? Last(string keyword) => All(keyword).LastOrDefault();

    public IReadOnlyList<DockerCopy> Copies => [.. All("COPY").Select(DockerCopy.Parse)];

    /// <summary>ENV key=value pairs (several per instruction allowed).</summary>
    public IReadOnlyDictionary<string, string> Environment =>
        All("ENV").SelectMany(arguments => arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(Dockerfile.SplitAssignment)
            .ToDictionary(pair => pair.Name, pair => pair.Value, StringComparer.Ordinal);

    /// <summary>The exec-form ENTRYPOINT.</summary>
    public IReadOnlyList<string> Entrypoint => Last("ENTRYPOINT") is { } entrypoint ? JsonSerializer.Deserialize<string[]>(entrypoint)! : [];

    internal void Add(string keyword, string arguments) => _instructions.Add((keyword, arguments));
}

public sealed record DockerCopy(string? From, IReadOnlyList<string> Sources, string Destination)
{
    public static DockerCopy Parse(string arguments)
    {
        var words = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var from = words.FirstOrDefault(word => word.StartsWith("--from=", StringComparison.Ordinal))?["--from=".Length..];
        var paths = words.Where(word => !word.StartsWith("--", StringComparison.Ordinal)).ToArray();
        return new DockerCopy(from, paths[..^1], paths[^1]);
    }
}
