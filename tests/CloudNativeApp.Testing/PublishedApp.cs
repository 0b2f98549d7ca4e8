using System.Security.Cryptography;
using System.Text;

namespace CloudNativeApp.Testing;

/// <summary>
/// The app as it is deployed: the output of <see cref="DocumentedCommand"/>, published once per test run and
/// shared by every test project that runs it. The output folder is keyed by a hash of the publish inputs, and a
/// cross-process file lock makes the first project that needs it publish while the others wait and reuse it; a
/// later run with the same sources reuses it too (<c>artifacts/test-publish/</c>, ignored by git and Docker).
/// </summary>
public sealed class PublishedApp : IAsyncLifetime
{
    /// <summary>
    /// How the deployed build is made, after <c>dotnet publish src/CloudNativeApp</c>: the one place to change it.
    /// The README, the Dockerfile and serverless.template's CodeUri must say the same (checked by Deployment.Tests).
    /// </summary>
    public static readonly IReadOnlyList<string> PublishArguments = ["-c", "Release", "-r", "linux-x64"];

    /// <summary>Where <see cref="DocumentedCommand"/> writes: serverless.template's CodeUri.</summary>
    public const string DocumentedOutput = "artifacts/lambda";

    private const string ProjectPath = "src/CloudNativeApp";

    // Native AOT: 3–6 minutes on an idle 2-core machine; one shared with other builds took over 15.
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(30);

    /// <summary>What the publish reads, as the Dockerfile's build context holds it (.dockerignore): bin/obj aside.</summary>
    private static readonly string[] InputFiles = ["global.json", "Directory.Build.props", "Directory.Packages.props", ".editorconfig"];

    private static readonly Lazy<Task<string>> Output = new(PublishOnceAsync);

    /// <summary>The publish command the README documents.</summary>
    public static string DocumentedCommand => $"dotnet publish {ProjectPath} {string.Join(' ', PublishArguments)} -o {DocumentedOutput}";

    /// <summary>The publish output: what the Lambda zip and the container image's /var/task contain.</summary>
    public string Directory { get; private set; } = "";

    /// <summary>The apphost, renamed <c>bootstrap</c> at publish as a custom runtime needs (the container's entry point too).</summary>
    public string Bootstrap => Path.Combine(Directory, "bootstrap");

    public async Task InitializeAsync() => Directory = await Output.Value;

    /// <summary>The output stays for the other test projects of this run and for the next run.</summary>
    public Task DisposeAsync() => Task.CompletedTask;

    private static async Task<string> PublishOnceAsync()
    {
        var cache = RepositoryRoot.Resolve("artifacts", "test-publish");
        var folder = Path.Combine(cache, InputsHash());
        var output = Path.Combine(folder, "app");
        var complete = Path.Combine(folder, "complete");
        System.IO.Directory.CreateDirectory(folder);

        using (await FileLock.AcquireAsync(Path.Combine(folder, "lock"), PublishTimeout + TimeSpan.FromMinutes(2)))
        {
            if (!File.Exists(complete))
            {
                DeleteDirectory(output); // what a killed run left half written
                var build = Path.Combine(folder, "build");
                await PublishAsync(output, build);
                DeleteDirectory(build);
                await File.WriteAllTextAsync(complete, DocumentedCommand);
            }
        }

        DeleteOtherVersions(cache, folder);
        return output;
    }

    /// <summary>
    /// The documented command with its output in <paramref name="output"/> and its own bin/obj (--artifacts-path),
    /// so it never races a build of the same projects by the test run itself.
    /// </summary>
    private static async Task PublishAsync(string output, string build)
    {
        var startInfo = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepositoryRoot.Path,
        };
        foreach (var argument in (string[])["publish", ProjectPath, .. PublishArguments, "-o", output, "--artifacts-path", build, "-nologo", "-clp:NoSummary"])
        {
            startInfo.ArgumentList.Add(argument);
        }

        // The test host's own MSBuild/SDK settings must not leak into the nested build, nor build servers outlive it.
        startInfo.Environment.Remove("MSBuildExtensionsPath");
        startInfo.Environment.Remove("MSBUILD_EXE_PATH");
        startInfo.Environment.Remove("MSBuildSDKsPath");
        startInfo.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        startInfo.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        startInfo.Environment["DOTNET_NOLOGO"] = "1";

        var (exitCode, stdout, stderr) = await ChildProcess.RunAsync(startInfo, PublishTimeout, $"`{DocumentedCommand}`");
        if (exitCode != 0 || !File.Exists(Path.Combine(output, "bootstrap")))
        {
            throw new InvalidOperationException($"`dotnet {string.Join(' ', startInfo.ArgumentList)}` failed ({exitCode}):{Environment.NewLine}{stdout}{stderr}");
        }
    }

    /// <summary>The publish arguments, the runtime and every input file's path and contents.</summary>
    private static string InputsHash()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{DocumentedCommand}\n{Environment.Version}\n"));
        var source = RepositoryRoot.Resolve("src");
        var files = System.IO.Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(RepositoryRoot.Path, path))
            .Where(path => !path.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            .Concat(InputFiles.Where(file => File.Exists(RepositoryRoot.Resolve(file))))
            .Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"{file}\n"));
            hash.AppendData(File.ReadAllBytes(RepositoryRoot.Resolve(file)));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }

    /// <summary>Outputs of earlier sources that no test run is using: each is a few hundred megabytes.</summary>
    private static void DeleteOtherVersions(string cache, string current)
    {
        foreach (var folder in System.IO.Directory.EnumerateDirectories(cache).Where(folder => folder != current))
        {
            using var unused = FileLock.TryAcquire(Path.Combine(folder, "lock"));
            if (unused is not null)
            {
                DeleteDirectory(folder);
            }
        }
    }

    private static void DeleteDirectory(string path)
    {
        try
        {
            System.IO.Directory.Delete(path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
        catch (IOException)
        {
            // A file still held by a process being killed: the next publish into this folder starts clean anyway.
        }
    }
}
