using System.Net;

namespace CloudNativeApp.Tests.Security;

public sealed class SecurityHeadersTests
{
    [Fact]
    public async Task Api_responses_carry_security_headers_and_are_not_cached()
    {
        await using var app = SecurityTestHost.Create("Development");
        using var response = await app.CreateClient().GetAsync("/calculator/add/1/2");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.True(response.Headers.CacheControl?.NoStore);
    }

    [Fact]
    public async Task Error_responses_carry_security_headers_too()
    {
        await using var app = SecurityTestHost.Create("Development");
        using var response = await app.CreateClient().GetAsync("/calculator/divide/1/0");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
    }
}
