namespace CloudNativeApp.Tests.Security;

public sealed class JwtAuthenticationTests : IAsyncLifetime
{
    private LocalTokenIssuer _issuer = null!;

    public async Task InitializeAsync() => _issuer = await LocalTokenIssuer.StartAsync();

    public async Task DisposeAsync() => await _issuer.DisposeAsync();

    private Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> App(params (string, string?)[] extra) =>
        SecurityTestHost.Create("Development",
        [
            ("Auth:Mode", "Jwt"),
            ("Auth:Jwt:Authority", _issuer.Authority),
            ("Auth:Jwt:Audience", "test-client"),
            ("Auth:Jwt:RequireHttpsMetadata", "false"),
            .. extra,
        ]);

    private static HttpRequestMessage CreateItem(string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/items") { Content = JsonContent.Create(new { name = "secured" }) };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }

    [Fact]
    public async Task A_write_without_a_token_is_a_401_problem_with_a_bearer_challenge()
    {
        await using var app = App();
        using var response = await app.CreateClient().SendAsync(CreateItem(token: null));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_valid_token_may_write_and_the_item_records_its_subject()
    {
        await using var app = App();
        using var response = await app.CreateClient().SendAsync(CreateItem(_issuer.CreateToken("user-123")));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var item = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("user-123", item.GetProperty("createdBy").GetString());
    }

    // Mallory's token under a key id, signed by a key the issuer never published.
    private string TokenSignedByAnotherKey(string keyId)
    {
        using var foreignKey = RSA.Create(2048);
        return _issuer.CreateToken("mallory", signWith: new RsaSecurityKey(foreignKey) { KeyId = keyId });
    }

    [Fact]
    public async Task Tokens_signed_by_another_key_or_for_another_audience_are_rejected()
    {
        await using var app = App();
        var client = app.CreateClient();

        using var forged = await client.SendAsync(CreateItem(TokenSignedByAnotherKey(keyId: "test-key")));
        using var wrongAudience = await client.SendAsync(CreateItem(_issuer.CreateToken("user-123", audience: "another-client")));

        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongAudience.StatusCode);
    }

    [Fact]
    public async Task A_refused_token_is_told_invalid_token_and_nothing_about_why()
    {
        await using var app = App();
        var client = app.CreateClient();

        using var forged = await client.SendAsync(CreateItem(TokenSignedByAnotherKey(keyId: "another-key")));
        using var expired = await client.SendAsync(CreateItem(_issuer.CreateToken("user-123", expires: DateTime.UtcNow.AddHours(-1))));

        foreach (var response in new[] { forged, expired })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("Bearer error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString());
            var body = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain("IDX", body, StringComparison.Ordinal);
            Assert.DoesNotContain("expired", body, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task Clock_skew_is_configurable_and_30_seconds_by_default()
    {
        var expiredMomentsAgo = _issuer.CreateToken("user-123", expires: DateTime.UtcNow.AddSeconds(-10));

        await using var tolerant = App();
        using var accepted = await tolerant.CreateClient().SendAsync(CreateItem(expiredMomentsAgo));
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);

        await using var strict = App(("Auth:ClockSkewSeconds", "0"));
        using var refused = await strict.CreateClient().SendAsync(CreateItem(expiredMomentsAgo));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        await using var invalid = App(("Auth:ClockSkewSeconds", "-1"));
        Assert.Contains("Auth:ClockSkewSeconds", Assert.ThrowsAny<Exception>(() => invalid.CreateClient()).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reads_are_anonymous_unless_configured_otherwise()
    {
        await using var open = App();
        using var anonymousRead = await open.CreateClient().GetAsync("/items");
        Assert.Equal(HttpStatusCode.OK, anonymousRead.StatusCode);

        await using var closed = App(("Auth:AllowAnonymousReads", "false"));
        using var refused = await closed.CreateClient().GetAsync("/items");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task A_configured_write_scope_turns_a_token_without_it_into_a_403_problem()
    {
        await using var app = App(("Auth:WriteScope", "items/write"));
        var client = app.CreateClient();

        using var withoutScope = await client.SendAsync(CreateItem(_issuer.CreateToken("user-123", scope: "items/read")));
        using var withScope = await client.SendAsync(CreateItem(_issuer.CreateToken("user-123", scope: "items/read items/write")));

        Assert.Equal(HttpStatusCode.Forbidden, withoutScope.StatusCode);
        Assert.Equal("application/problem+json", withoutScope.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Bearer error=\"insufficient_scope\", scope=\"items/write\"", withoutScope.Headers.WwwAuthenticate.ToString());
        Assert.Equal(HttpStatusCode.Created, withScope.StatusCode);
    }
}

public sealed class ApiGatewayAuthenticationTests
{
    private static Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> App() => GatewayIdentity.App();

    [Fact]
    public async Task Writes_need_the_identity_the_gateway_established()
    {
        await using var app = App();
        var client = app.CreateClient();

        using var anonymous = await client.PostAsJsonAsync("/items", new { name = "x" });
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.NotEmpty(anonymous.Headers.WwwAuthenticate);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/items") { Content = JsonContent.Create(new { name = "x" }) };
        request.Headers.Add(GatewayIdentity.SubjectHeader, "cognito-user-1");
        using var authenticated = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, authenticated.StatusCode);
        Assert.Equal("cognito-user-1", (await authenticated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("createdBy").GetString());
    }

    [Fact]
    public async Task ApiGateway_mode_refuses_to_start_on_kestrel()
    {
        await using var app = SecurityTestHost.Create("Production", ("Auth:Mode", "ApiGateway"));
        app.UseKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, 0)); // a free port: UseKestrel(0) can end up on the default 5000

        var failure = Assert.ThrowsAny<Exception>(() => app.StartServer());
        Assert.Contains("Auth:Mode is ApiGateway", failure.ToString(), StringComparison.Ordinal);
    }
}
