using System.Diagnostics;

namespace CloudNativeApp.Deployment.Tests.Publishing;

/// <summary>
/// The output of the documented publish command, produced once per test run in a temporary folder and shared
/// by every test in <see cref="PublishedAppGroup"/>.
/// </summary>
public sealed class PublishedApp : IAsyncLifetime
{
    /// <summary>The publish command the README documents and serverless.template's CodeUri expects.</summary>
    public const string DocumentedCommand = "dotnet publish src/CloudNativeApp -c Release -r linux-x64 -o artifacts/lambda";

    /// <summary>Where <see cref="DocumentedCommand"/> writes: serverless.template's CodeUri.</summary>
    public const string DocumentedOutput = "artifacts/lambda";

    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(8);

    private readonly string _root = Path.Combine(Path.GetTempPath(), $"cloudnativeapp-publish-{Guid.NewGuid():N}");

    /// <summary>The publish output: what the Lambda zip and the container image's /var/task contain.</summary>
    public string Directory => Path.Combine(_root, "publish");

    public string Bootstrap => Path.Combine(Directory, "bootstrap");

    public TimeSpan PublishDuration { get; private set; }

    public async Task InitializeAsync()
    {
        // The documented command with its output redirected to a temporary folder, and with its own
        // bin/obj (--artifacts-path) so it never races a build of the same projects by another test run.
        var arguments = DocumentedCommand.Split(' ')[1..].ToList();
        arguments[arguments.IndexOf("-o") + 1] = Directory;
        arguments.AddRange(["--artifacts-path", Path.Combine(_root, "build"), "-nologo"]);

        var startInfo = new ProcessStartInfo("dotnet", arguments)
        {
            WorkingDirectory = RepositoryRoot.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        startInfo.Environment["DOTNET_NOLOGO"] = "1";
        startInfo.Environment["MSBUILDDISABLENODEREUSE"] = "1"; // No build servers left running after the test run.

        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(startInfo)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(PublishTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"`{DocumentedCommand}` did not finish within {PublishTimeout}.");
        }

        PublishDuration = stopwatch.Elapsed;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"`dotnet {string.Join(' ', arguments)}` failed ({process.ExitCode}):{Environment.NewLine}{await output}{await errors}");
        }
    }

    public Task DisposeAsync()
    {
        try
        {
            System.IO.Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a process that is being killed; the temp folder is cleaned by the OS eventually.
        }

        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class PublishedAppGroup : ICollectionFixture<PublishedApp>
{
    public const string Name = "Published app";
}
