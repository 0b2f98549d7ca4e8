namespace CloudNativeApp.Testing;

/// <summary>
/// The folder holding CloudNativeApp.sln, found by walking up from the test assembly. Shared by the test projects
/// (linked from tests/Shared), like <see cref="DynaliteServer"/>.
/// </summary>
public static class RepositoryRoot
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "CloudNativeApp.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No CloudNativeApp.sln above {AppContext.BaseDirectory}.");
    });

    public static string Path => Root.Value;

    public static string Resolve(params string[] parts) => System.IO.Path.Combine([Root.Value, .. parts]);
}
