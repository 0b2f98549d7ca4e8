namespace CloudNativeApp.Deployment.Tests.Container;

/// <summary>
/// buildah (Debian package) with its own throwaway storage: vfs driver and chroot isolation, which need no
/// daemon, no overlay mounts and no OCI runtime. Images come only from local files (no registry is reachable).
/// </summary>
public sealed class Buildah : IDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(5);

    private readonly string _root = Path.Combine(Path.GetTempPath(), $"cloudnativeapp-buildah-{Guid.NewGuid():N}");

    public static string? Executable { get; } = FindExecutable();

    public static string? MissingReason => Executable is null
        ? "buildah is not installed (Debian: apt-get install buildah; .ci/run installs it), so the container image is only linted and checked statically here."
        : null;

    public Task<string> RunAsync(params string[] arguments) =>
        RunInAsync(RepositoryRoot.Path, arguments);

    public async Task<string> RunInAsync(string workingDirectory, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(
            Executable ?? throw new InvalidOperationException(MissingReason),
            ["--root", Path.Combine(_root, "storage"), "--runroot", Path.Combine(_root, "run"), "--storage-driver", "vfs", .. arguments])
        {
            WorkingDirectory = workingDirectory,
        };
        var command = $"buildah {string.Join(' ', arguments)}";
        var (exitCode, output, errors) = await ChildProcess.RunAsync(startInfo, CommandTimeout, command);
        return exitCode == 0
            ? output
            : throw new InvalidOperationException($"{command} failed ({exitCode}):{Environment.NewLine}{output}{errors}");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean up with the rest of the temp folder.
        }
        catch (UnauthorizedAccessException)
        {
            // vfs layers written under another uid; same.
        }
    }

    private static string? FindExecutable() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(directory => Path.Combine(directory, "buildah"))
            .FirstOrDefault(File.Exists);
}
