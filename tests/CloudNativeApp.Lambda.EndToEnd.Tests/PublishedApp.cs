using System.Diagnostics;
using CloudNativeApp.LambdaRuntimeApi;

namespace CloudNativeApp.Lambda.EndToEnd.Tests;

/// <summary>
/// The app as it is deployed: <c>dotnet publish src/CloudNativeApp -c Release -r linux-x64</c>, once per test run,
/// into a temporary folder. Build outputs go there too (artifacts layout), so publishing never touches the
/// repository's bin/obj folders that other test projects may be building at the same time.
/// </summary>
public sealed class PublishedApp : IAsyncLifetime
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(8);

    private readonly string root = Path.Combine(Path.GetTempPath(), $"cloudnativeapp-e2e-{Guid.NewGuid():N}");

    /// <summary>The published apphost, renamed <c>bootstrap</c> at publish as a custom runtime needs (the container's entry point too).</summary>
    public string Executable => Path.Combine(root, "app", "bootstrap");

    public async Task InitializeAsync()
    {
        var startInfo = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepositoryRoot.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "publish", Path.Combine("src", "CloudNativeApp"), "-c", "Release", "-r", "linux-x64",
            "-o", Path.Combine(root, "app"),
            "-p:UseArtifactsOutput=true", $"-p:ArtifactsPath={Path.Combine(root, "artifacts")}",
            "-nologo", "-clp:NoSummary",
        })
        {
            startInfo.ArgumentList.Add(argument);
        }

        // The test host's own MSBuild/SDK settings must not leak into the nested build.
        startInfo.Environment.Remove("MSBuildExtensionsPath");
        startInfo.Environment.Remove("MSBUILD_EXE_PATH");
        startInfo.Environment.Remove("MSBuildSDKsPath");

        using var publish = Process.Start(startInfo)!;
        var output = publish.StandardOutput.ReadToEndAsync();
        var errors = publish.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(PublishTimeout);
        try
        {
            await publish.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            publish.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet publish did not finish within {PublishTimeout}.");
        }

        if (publish.ExitCode != 0 || !File.Exists(Executable))
        {
            throw new InvalidOperationException($"dotnet publish failed ({publish.ExitCode}):\n{await output}\n{await errors}");
        }
    }

    /// <summary>Starts the published app against a new local Runtime API, with Lambda's environment plus <paramref name="environment"/>.</summary>
    public Task<LambdaFunction> StartFunctionAsync(IReadOnlyDictionary<string, string?> environment, LambdaRuntimeApiOptions? options = null) =>
        LambdaFunction.StartAsync(Executable, environment, options);

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is not worth failing the run for.
        }

        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class UsesPublishedApp : ICollectionFixture<PublishedApp>
{
    public const string Name = "Published app";
}
