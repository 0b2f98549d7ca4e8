namespace CloudNativeApp.Infrastructure;

/// <summary>Where the app finds its files (appsettings, wwwroot): a published build's own folder, wherever it is started from.</summary>
public static class AppContentRoot
{
    /// <summary>
    /// The builder's options: the default content root is the current directory, which loses the web page (and the
    /// appsettings files) when a published build is started from elsewhere. A published build has wwwroot next to
    /// its executable, so there the executable's folder is the content root. A build output has none (<c>dotnet run</c>
    /// and tests serve wwwroot from the project), so they keep the default, as does a root given explicitly
    /// (<c>--contentRoot</c>, <c>ASPNETCORE_CONTENTROOT</c>, <c>DOTNET_CONTENTROOT</c>).
    /// </summary>
    public static WebApplicationOptions Options(string[] args) => new()
    {
        Args = args,
        ContentRootPath = IsGivenExplicitly(args) || !Directory.Exists(Path.Combine(AppContext.BaseDirectory, "wwwroot")) ? null : AppContext.BaseDirectory,
    };

    private static bool IsGivenExplicitly(string[] args) =>
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_CONTENTROOT"))
        || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOTNET_CONTENTROOT"))
        || args.Any(arg => arg.Contains("contentRoot", StringComparison.OrdinalIgnoreCase));
}
