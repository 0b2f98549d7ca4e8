namespace CloudNativeApp.Tests.Security;

public sealed class SecurityHeadersTests
{
    [Theory]
    [InlineData("/calculator/add/1/2", HttpStatusCode.OK)]
    [InlineData("/calculator/divide/1/0", HttpStatusCode.BadRequest)] // error responses too
    public async Task Api_responses_carry_security_headers_and_are_not_cached(string path, HttpStatusCode status)
    {
        await using var app = SecurityTestHost.Create("Development");
        using var response = await app.CreateClient().GetAsync(path);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.True(response.Headers.CacheControl?.NoStore);
    }

    [Fact]
    public async Task Swagger_ui_has_a_content_security_policy_allowing_only_its_own_files()
    {
        await using var app = SecurityTestHost.Create("Production", ("Auth:Mode", "None"), ("RateLimiting:Enabled", "false"));
        var client = app.CreateClient();

        foreach (var path in new[] { "/swagger/index.html", "/swagger/v1/swagger.json" })
        {
            using var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var policy = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("script-src 'self';", policy, StringComparison.Ordinal);
            Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Api_documentation_can_be_turned_off()
    {
        await using var app = SecurityTestHost.Create("Production", ("Auth:Mode", "None"), ("RateLimiting:Enabled", "false"), ("ApiDocumentation:Enabled", "false"));
        var client = app.CreateClient();

        foreach (var path in new[] { "/swagger", "/swagger/index.html", "/swagger/v1/swagger.json" })
        {
            using var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        using var api = await client.GetAsync("/calculator/add/1/2");
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
    }
}
