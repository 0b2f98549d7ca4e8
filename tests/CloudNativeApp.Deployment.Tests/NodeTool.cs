using System.Diagnostics;

namespace CloudNativeApp.Deployment.Tests;

/// <summary>Runs a tool from the repository's node_modules (installed by `npm ci`).</summary>
public static class NodeTool
{
    public static async Task<(int ExitCode, string Output)> RunAsync(string script, params string[] arguments)
    {
        var scriptPath = RepositoryRoot.Resolve(["node_modules", .. script.Split('/')]);
        if (!File.Exists(scriptPath))
        {
            throw new FileNotFoundException($"{scriptPath} is missing: run `npm ci` in the repository root first.", scriptPath);
        }

        var startInfo = new ProcessStartInfo("node", [scriptPath, .. arguments])
        {
            WorkingDirectory = RepositoryRoot.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(startInfo)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, (await output + await errors).Trim());
    }
}
