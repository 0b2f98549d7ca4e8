namespace CloudNativeApp.Tests.Security;

public sealed class CorsAndRateLimitingTests
{
    [Fact]
    public async Task An_allowed_origin_gets_cors_headers_exposing_etag_and_location()
    {
        await using var app = SecurityTestHost.Create("Development", ("Cors:AllowedOrigins:0", "https://app.example.com"));
        using var request = new HttpRequestMessage(HttpMethod.Options, "/calculator");
        request.Headers.Add("Origin", "https://app.example.com");
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type,if-match");
        using var preflight = await app.CreateClient().SendAsync(request);

        Assert.Equal("https://app.example.com", Assert.Single(preflight.Headers.GetValues("Access-Control-Allow-Origin")));

        using var get = new HttpRequestMessage(HttpMethod.Get, "/calculator/add/1/2");
        get.Headers.Add("Origin", "https://app.example.com");
        using var response = await app.CreateClient().SendAsync(get);
        var exposed = string.Join(",", response.Headers.GetValues("Access-Control-Expose-Headers"));
        Assert.Contains("ETag", exposed, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Location", exposed, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task With_origins_configured_every_response_varies_by_origin()
    {
        await using var app = SecurityTestHost.Create("Development", ("Cors:AllowedOrigins:0", "https://app.example.com"));
        var client = app.CreateClient();

        foreach (var origin in new[] { "https://app.example.com", "https://evil.example.com", null })
        {
            using var get = new HttpRequestMessage(HttpMethod.Get, "/calculator/add/1/2");
            if (origin is not null)
            {
                get.Headers.Add("Origin", origin);
            }

            using var response = await client.SendAsync(get);
            Assert.Contains("Origin", response.Headers.Vary, StringComparer.OrdinalIgnoreCase);
            Assert.Equal(origin == "https://app.example.com", response.Headers.Contains("Access-Control-Allow-Origin"));
        }
    }

    [Fact]
    public async Task Origins_are_not_allowed_by_default()
    {
        await using var app = SecurityTestHost.Create("Development");
        using var get = new HttpRequestMessage(HttpMethod.Get, "/calculator/add/1/2");
        get.Headers.Add("Origin", "https://evil.example.com");
        using var response = await app.CreateClient().SendAsync(get);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Over_the_limit_a_client_gets_429_problem_with_retry_after()
    {
        await using var app = SecurityTestHost.Create("Development", ("RateLimiting:Enabled", "true"), ("RateLimiting:PermitsPerMinute", "3"));
        var client = app.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            using var allowed = await client.GetAsync("/calculator/add/1/2");
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        using var limited = await client.GetAsync("/calculator/add/1/2");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.InRange(limited.Headers.RetryAfter?.Delta?.TotalSeconds ?? 0, 1, 60);

        using var health = await client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Retry_after_is_the_time_left_in_the_window_and_the_problem_has_a_type()
    {
        var now = DateTimeOffset.UtcNow;
        var clock = new FakeTimeProvider(new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero).AddSeconds(45.2));
        await using var app = SecurityTestHost.Create("Development", ("RateLimiting:Enabled", "true"), ("RateLimiting:PermitsPerMinute", "1"))
            .WithWebHostBuilder(host => host.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(clock)));
        var client = app.CreateClient();

        using var allowed = await client.GetAsync("/calculator/add/1/2");
        using var limited = await client.GetAsync("/calculator/add/1/2");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(15), limited.Headers.RetryAfter?.Delta); // 14.8 s left, rounded up
        var problem = await limited.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("https://tools.ietf.org/html/rfc6585#section-4", problem.GetProperty("type").GetString());

        clock.Advance(TimeSpan.FromSeconds(10));
        using var later = await client.GetAsync("/calculator/add/1/2");
        Assert.Equal(TimeSpan.FromSeconds(5), later.Headers.RetryAfter?.Delta);

        clock.Advance(TimeSpan.FromSeconds(5));
        using var nextWindow = await client.GetAsync("/calculator/add/1/2");
        Assert.Equal(HttpStatusCode.OK, nextWindow.StatusCode);
    }

    [Fact]
    public async Task Rate_limiting_is_off_in_development_by_default()
    {
        await using var app = SecurityTestHost.Create("Development", ("RateLimiting:PermitsPerMinute", "1"));
        var client = app.CreateClient();
        for (var i = 0; i < 5; i++)
        {
            using var response = await client.GetAsync("/calculator/add/1/2");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }
}
