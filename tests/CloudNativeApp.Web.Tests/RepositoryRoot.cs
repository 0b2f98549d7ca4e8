namespace CloudNativeApp.Web.Tests;

internal static class RepositoryRoot
{
    /// <summary>The folder holding CloudNativeApp.sln, found by walking up from the test output.</summary>
    public static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CloudNativeApp.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"CloudNativeApp.sln not found above {AppContext.BaseDirectory}.");
    }
}
