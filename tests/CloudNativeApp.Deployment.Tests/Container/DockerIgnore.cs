using System.Text;

namespace CloudNativeApp.Deployment.Tests;

/// <summary>
/// .dockerignore rules as Docker applies them: patterns match paths relative to the context (with <c>*</c>,
/// <c>?</c> and <c>**</c>), a path is also excluded when a parent folder is, and the last matching rule
/// (a leading <c>!</c> re-includes) wins.
/// </summary>
public sealed class DockerIgnore
{
    private readonly List<(Regex Pattern, bool Include)> _rules = [];

    public static DockerIgnore Load() => Parse(File.ReadAllText(RepositoryRoot.Resolve(".dockerignore")));

    public static DockerIgnore Parse(string text)
    {
        var ignore = new DockerIgnore();
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var include = line.StartsWith('!');
            var pattern = (include ? line[1..] : line).Trim().TrimStart('/').TrimEnd('/');
            ignore._rules.Add((new Regex("^" + ToRegex(pattern) + "$", RegexOptions.CultureInvariant), include));
        }

        return ignore;
    }

    /// <summary>Whether a file (path relative to the context, with '/') ends up in the build context.</summary>
    public bool IsInContext(string relativePath)
    {
        var parts = relativePath.Split('/');
        for (var length = 1; length <= parts.Length; length++)
        {
            if (IsExcluded(string.Join('/', parts[..length])) && !ReincludesBelow(string.Join('/', parts[..length]), relativePath))
            {
                return false;
            }
        }

        return true;
    }

    private bool IsExcluded(string path)
    {
        var excluded = false;
        foreach (var (pattern, include) in _rules)
        {
            if (pattern.IsMatch(path))
            {
                excluded = !include;
            }
        }

        return excluded;
    }

    // Docker walks into an excluded folder when a later "!" rule may re-include something inside it.
    private bool ReincludesBelow(string folder, string file) =>
        folder != file && _rules.Any(rule => rule.Include && rule.Pattern.IsMatch(folder)) && !IsExcluded(file);

    private static string ToRegex(string pattern)
    {
        var regex = new StringBuilder();
        for (var i = 0; i < pattern.Length; i++)
        {
            switch (pattern[i])
            {
                case '*' when i + 1 < pattern.Length && pattern[i + 1] == '*':
                    regex.Append(i + 2 < pattern.Length && pattern[i + 2] == '/' ? "(.*/)?" : ".*");
                    i += i + 2 < pattern.Length && pattern[i + 2] == '/' ? 2 : 1;
                    break;
                case '*':
                    regex.Append("[^/]*");
                    break;
                case '?':
                    regex.Append("[^/]");
                    break;
                default:
                    regex.Append(Regex.Escape(pattern[i].ToString()));
                    break;
            }
        }

        return regex.ToString();
    }
}
