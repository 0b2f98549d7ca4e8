namespace CloudNativeApp.Testing;

/// <summary>Runs a tool from the repository's node_modules (installed by `npm ci`).</summary>
public static class NodeTool
{
    /// <summary>The tool's exit code and its standard output and error together.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string script, params string[] arguments)
    {
        var (exitCode, output, errors) = await RunAsync(script, arguments, environment: null);
        return (exitCode, (output + errors).Trim());
    }

    /// <summary>The tool's exit code, standard output and standard error, with <paramref name="environment"/> added to its environment.</summary>
    public static async Task<(int ExitCode, string Output, string Errors)> RunAsync(
        string script, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment)
    {
        var scriptPath = RepositoryRoot.Resolve(["node_modules", .. script.Split('/')]);
        if (!File.Exists(scriptPath))
        {
            throw new FileNotFoundException($"{scriptPath} is missing: run `npm ci` in the repository root first.", scriptPath);
        }

        var startInfo = new ProcessStartInfo("node", [scriptPath, .. arguments]) { WorkingDirectory = RepositoryRoot.Path };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[name] = value;
        }

        var (exitCode, output, errors) = await ChildProcess.RunAsync(startInfo, TimeSpan.FromMinutes(2), $"node {script}");
        return (exitCode, output, errors);
    }
}
