namespace CloudNativeApp.Testing;

/// <summary>
/// The folder holding CloudNativeApp.sln, found by walking up from the binaries (or, for a tool run from elsewhere,
/// from the working directory). Shared by the test projects and the tools.
/// </summary>
public static class RepositoryRoot
{
    private static readonly Lazy<string> Root = new(() =>
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(System.IO.Path.Combine(directory.FullName, "CloudNativeApp.sln")))
                {
                    return directory.FullName;
                }
            }
        }

        throw new DirectoryNotFoundException($"No CloudNativeApp.sln above {AppContext.BaseDirectory} or {Directory.GetCurrentDirectory()}.");
    });

    public static string Path => Root.Value;

    public static string Resolve(params string[] parts) => System.IO.Path.Combine([Root.Value, .. parts]);
}
