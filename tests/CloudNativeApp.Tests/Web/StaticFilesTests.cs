namespace CloudNativeApp.Tests.Web;

/// <summary>What the page and its assets look like on the wire from Kestrel: types, caching, validators, compression.</summary>
public sealed partial class StaticFilesTests(KestrelApp app) : IClassFixture<KestrelApp>
{
    [Theory]
    [InlineData("")]
    [InlineData("index.html")]
    public async Task The_page_is_html_that_browsers_must_revalidate(string path)
    {
        using var response = await app.Api.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.True(response.Headers.CacheControl?.NoCache, $"Cache-Control: {response.Headers.CacheControl}");
        Assert.NotNull(response.Headers.ETag);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task The_page_allows_only_its_own_scripts_and_its_import_map_by_hash()
    {
        using var response = await app.Api.GetAsync("");
        var html = await response.Content.ReadAsStringAsync();
        var policy = response.Headers.GetValues("Content-Security-Policy").Single();

        var importMap = ImportMap().Match(html).Groups["json"].Value;
        var hash = Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(importMap)));
        Assert.Contains($"script-src 'self' 'sha256-{hash}';", policy, StringComparison.Ordinal);
        Assert.Contains("default-src 'self';", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        // Anything else inline would be blocked by that policy, so the page must have no other inline script or style.
        Assert.Equal(1, System.Text.RegularExpressions.Regex.Count(html, "<script(?![^>]*\\bsrc=)"));
        Assert.DoesNotContain("style=", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<style", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_page_answers_a_matching_If_None_Match_with_304()
    {
        using var first = await app.Api.GetAsync("");
        using var request = new HttpRequestMessage(HttpMethod.Get, "");
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);

        using var second = await app.Api.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Empty(await second.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Every_local_asset_the_page_names_is_versioned_immutable_and_has_the_right_type()
    {
        var html = await app.Api.GetStringAsync("");
        var urls = AssetUrls(html);
        Assert.Contains(urls, url => url.StartsWith("css/app.css?v=", StringComparison.Ordinal));
        Assert.Contains(urls, url => url.StartsWith("js/app.js?v=", StringComparison.Ordinal));
        Assert.Contains(urls, url => url.StartsWith("favicon.svg?v=", StringComparison.Ordinal));

        foreach (var url in urls)
        {
            using var response = await app.Api.GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode}");
            Assert.Equal(ExpectedType(url), response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("public, max-age=31536000, immutable", response.Headers.CacheControl?.ToString());
        }
    }

    [Fact]
    public async Task The_import_map_versions_every_module_so_imports_are_immutable_too()
    {
        var html = await app.Api.GetStringAsync("");
        var json = ImportMap().Match(html).Groups["json"].Value;
        var imports = JsonDocument.Parse(json).RootElement.GetProperty("imports").EnumerateObject().ToDictionary(entry => entry.Name, entry => entry.Value.GetString()!);

        foreach (var module in new[] { "app", "api", "items", "calculator", "forms", "format" })
        {
            Assert.True(imports.TryGetValue($"./js/{module}.js", out var versioned), $"{module}.js is not in the import map: {json}");
            Assert.Matches(@"^\./js/[a-z]+\.js\?v=[A-Za-z0-9_-]{12}$", versioned);
            using var response = await app.Api.GetAsync(versioned[2..]);
            Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("public, max-age=31536000, immutable", response.Headers.CacheControl?.ToString());
        }
    }

    [Theory]
    [InlineData("js/app.js")]
    [InlineData("js/app.js?v=outdated0000")]
    [InlineData("css/app.css?v=")]
    public async Task Unversioned_or_outdated_asset_urls_are_revalidated_not_cached_for_a_year(string url)
    {
        using var response = await app.Api.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoCache, $"Cache-Control: {response.Headers.CacheControl}");
        Assert.NotNull(response.Headers.ETag);
    }

    [Theory]
    [InlineData("", "text/html")]
    [InlineData("js/items.js", "text/javascript")]
    [InlineData("css/app.css", "text/css")]
    [InlineData("favicon.svg", "image/svg+xml")]
    public async Task Kestrel_compresses_text_for_clients_that_accept_it(string url, string type)
    {
        foreach (var encoding in new[] { "br", "gzip" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue(encoding));

            using var response = await app.Api.SendAsync(request);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(encoding, response.Content.Headers.ContentEncoding.Single());
            Assert.Contains("Accept-Encoding", response.Headers.Vary);
        }
    }

    [Fact]
    public async Task Api_responses_are_compressed_too()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "swagger/v1/swagger.json");
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));

        using var response = await app.Api.SendAsync(request);

        Assert.Equal("gzip", response.Content.Headers.ContentEncoding.Single());
    }

    [Fact]
    public async Task Swagger_ui_loads_the_script_that_links_back_to_the_page()
    {
        var swagger = await app.Api.GetStringAsync("swagger/index.html");
        Assert.Contains("src='../swagger-ui-link.js'", swagger, StringComparison.Ordinal);

        using var script = await app.Api.GetAsync("swagger-ui-link.js");
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_missing_asset_is_a_404_not_the_page()
    {
        using var response = await app.Api.GetAsync("js/missing.js");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    internal static string[] AssetUrls(string html) =>
        LocalAsset().Matches(html).Select(match => match.Groups["url"].Value).Distinct().ToArray();

    internal static string ExpectedType(string url) => Path.GetExtension(url.Split('?')[0]) switch
    {
        ".js" => "text/javascript",
        ".css" => "text/css",
        ".svg" => "image/svg+xml",
        ".png" => "image/png",
        var other => throw new InvalidOperationException($"No expected type for {other}"),
    };

    [GeneratedRegex("""(?:src|href)="(?<url>(?!https?:|/|#|\.)[^"]+\?v=[^"]+)""")]
    internal static partial Regex LocalAsset();

    [GeneratedRegex("""<script type="importmap">(?<json>.*?)</script>""", RegexOptions.Singleline)]
    private static partial Regex ImportMap();
}
