using System.Text.RegularExpressions;

namespace CloudNativeApp.Web;

/// <summary>
/// Serves wwwroot/index.html with every local script, stylesheet and icon URL versioned by content hash, and an
/// import map that versions the modules those scripts import, so all of them can be cached as immutable while
/// the page itself is always revalidated. The file on disk stays a plain, working HTML page.
/// </summary>
public static partial class IndexPage
{
    public const string FileName = "index.html";
    private const string ImportMapPlaceholder = """<script type="importmap"></script>""";
    private const string ModulesDirectory = "js";

    public static Results<ContentHttpResult, StatusCodeHttpResult, NotFound> Serve(HttpContext context, StaticAssetVersions versions)
    {
        var file = versions.Files.GetFileInfo(FileName);
        if (!file.Exists)
        {
            return TypedResults.NotFound();
        }

        string template;
        using (var reader = new StreamReader(file.CreateReadStream(), Encoding.UTF8))
        {
            template = reader.ReadToEnd();
        }

        var (html, importMap) = Render(template, versions, context.Request.PathBase);
        var etag = new EntityTagHeaderValue($"\"{StaticAssetVersions.Version(SHA256.HashData(Encoding.UTF8.GetBytes(html)))}\"");
        var headers = context.Response.GetTypedHeaders();
        headers.CacheControl = new CacheControlHeaderValue { NoCache = true };
        headers.ETag = etag;
        context.Response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
        context.Response.Headers[HeaderNames.ContentSecurityPolicy] = ContentSecurityPolicy(importMap);

        var ifNoneMatch = context.Request.GetTypedHeaders().IfNoneMatch;
        if (ifNoneMatch.Any(candidate => candidate.Equals(EntityTagHeaderValue.Any) || candidate.Compare(etag, useStrongComparison: false)))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        return TypedResults.Content(html, "text/html; charset=utf-8");
    }

    /// <summary>
    /// Only the app's own files may run, load or be fetched. The one inline script, the import map, is allowed by
    /// its hash, which changes with the asset versions it lists, so the policy is computed with the page.
    /// </summary>
    internal static string ContentSecurityPolicy(string importMap)
    {
        var hash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(importMap)));
        return $"default-src 'self'; script-src 'self' 'sha256-{hash}'; style-src 'self'; img-src 'self' data:; " +
            "connect-src 'self'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'; object-src 'none'";
    }

    /// <summary>The page with versioned asset URLs, and the import map it contains.</summary>
    internal static (string Html, string ImportMap) Render(string template, StaticAssetVersions versions, PathString pathBase)
    {
        var html = LocalAssetAttribute().Replace(template, match =>
        {
            var url = match.Groups["url"].Value;
            return versions.VersionOf(url) is { } version
                ? $"{match.Groups["attribute"].Value}=\"{url}?v={version}"
                : match.Value;
        });

        var importMap = ImportMap(versions);
        html = html.Replace(ImportMapPlaceholder, $"""<script type="importmap">{importMap}</script>""", StringComparison.Ordinal);

        // Behind an API Gateway stage the page may be opened as /Prod (no trailing slash), where the browser would
        // resolve "js/app.js" to /js/app.js, outside the stage. The host knows the prefix, so it pins the base URL.
        if (pathBase.HasValue)
        {
            html = html.Replace("<head>", $"<head>\n    <base href=\"{HtmlEncoder.Default.Encode(pathBase.Value!)}/\">", StringComparison.Ordinal);
        }

        return (html, importMap);
    }

    /// <summary>
    /// Maps each module URL to its versioned URL, so <c>import "./api.js"</c> inside a module also loads an immutable URL.
    /// The default encoder escapes &lt; and &gt;, so the JSON cannot close the script element.
    /// </summary>
    private static string ImportMap(StaticAssetVersions versions)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("imports");
            foreach (var module in versions.ModulesIn(ModulesDirectory))
            {
                if (versions.VersionOf(module) is { } version)
                {
                    writer.WriteString($"./{module}", $"./{module}?v={version}");
                }
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    // src="…" / href="…" naming a file in wwwroot by a relative path (no scheme, no query, no fragment).
    [GeneratedRegex(""""(?<attribute>\b(?:src|href))="(?<url>(?![a-z]+:|/|\.\.)[^"?#:]+\.(?:js|css|svg|png|ico|webp|woff2|webmanifest))(?=")"""", RegexOptions.CultureInvariant)]
    private static partial Regex LocalAssetAttribute();
}
