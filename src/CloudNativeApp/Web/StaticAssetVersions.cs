using Microsoft.Extensions.FileProviders;

namespace CloudNativeApp.Web;

/// <summary>
/// Content hashes of the files in wwwroot, used as the <c>?v=</c> version of asset URLs so they can be cached
/// for a year: a changed file gets a new URL. Hashes are computed on first use (no startup cost for cold starts)
/// and recomputed when a file's timestamp or length changes (edits while running in Development).
/// </summary>
public sealed class StaticAssetVersions(IWebHostEnvironment environment)
{
    private readonly IFileProvider files = environment.WebRootFileProvider;
    private readonly ConcurrentDictionary<string, (DateTimeOffset Modified, long Length, string Version)> versions = new(StringComparer.Ordinal);

    public IFileProvider Files => files;

    /// <summary>The version of <paramref name="path"/> (relative to wwwroot, no leading slash), or null if there is no such file.</summary>
    public string? VersionOf(string path)
    {
        var file = files.GetFileInfo(path);
        if (!file.Exists || file.IsDirectory)
        {
            return null;
        }

        if (versions.TryGetValue(path, out var known) && known.Modified == file.LastModified && known.Length == file.Length)
        {
            return known.Version;
        }

        using var stream = file.CreateReadStream();
        var version = Version(SHA256.HashData(stream));
        versions[path] = (file.LastModified, file.Length, version);
        return version;
    }

    /// <summary>The JavaScript modules under <paramref name="directory"/> (relative to wwwroot), as wwwroot-relative paths.</summary>
    public IEnumerable<string> ModulesIn(string directory) =>
        files.GetDirectoryContents(directory)
            .Where(file => !file.IsDirectory && file.Name.EndsWith(".js", StringComparison.Ordinal))
            .Select(file => $"{directory}/{file.Name}")
            .Order(StringComparer.Ordinal);

    /// <summary>12 URL-safe characters of a SHA-256: short enough for URLs, far too many to collide between releases.</summary>
    internal static string Version(byte[] hash) =>
        Convert.ToBase64String(hash, 0, 9).Replace('+', '-').Replace('/', '_');
}
