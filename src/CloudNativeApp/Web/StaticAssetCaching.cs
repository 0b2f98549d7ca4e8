using Microsoft.AspNetCore.StaticFiles;

namespace CloudNativeApp.Web;

/// <summary>
/// Cache-Control for files from wwwroot: a URL whose <c>?v=</c> matches the file's content hash names those exact
/// bytes forever, so it is immutable for a year; anything else (no version, an outdated version) must be
/// revalidated, which the static file middleware answers with 304 from its ETag and Last-Modified.
/// </summary>
internal static class StaticAssetCaching
{
    public const string Immutable = "public, max-age=31536000, immutable";
    public const string Revalidate = "no-cache";

    public static void Apply(StaticFileResponseContext context)
    {
        var versions = context.Context.RequestServices.GetRequiredService<StaticAssetVersions>();
        var requested = context.Context.Request.Query["v"];
        var path = context.Context.Request.Path.Value?.TrimStart('/') ?? "";
        var isCurrentVersion = requested.Count == 1 && string.Equals(requested[0], versions.VersionOf(path), StringComparison.Ordinal);

        context.Context.Response.Headers.CacheControl = isCurrentVersion ? Immutable : Revalidate;
        context.Context.Response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
    }
}
