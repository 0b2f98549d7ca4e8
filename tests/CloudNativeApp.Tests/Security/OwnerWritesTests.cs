namespace CloudNativeApp.Tests.Security;

/// <summary><c>Auth:OwnerWrites=true</c>: only an item's <c>createdBy</c> may replace, patch or delete it.</summary>
public sealed class OwnerWritesTests : IAsyncLifetime
{
    private LocalTokenIssuer _issuer = null!;

    public async Task InitializeAsync() => _issuer = await LocalTokenIssuer.StartAsync();

    public async Task DisposeAsync() => await _issuer.DisposeAsync();

    private static HttpRequestMessage Request(HttpMethod method, string uri, string? json = null, string contentType = "application/json")
    {
        var request = new HttpRequestMessage(method, uri);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        }

        return request;
    }

    /// <summary>Every change to <paramref name="id"/>, each sent by <paramref name="sign"/>.</summary>
    private static async Task<HttpStatusCode[]> ChangeAsync(HttpClient client, string id, Func<HttpRequestMessage, HttpRequestMessage> sign)
    {
        var statuses = new List<HttpStatusCode>();
        foreach (var request in new[]
        {
            Request(HttpMethod.Put, $"/items/{id}", """{"name":"replaced"}"""),
            Request(HttpMethod.Patch, $"/items/{id}", """{"description":"patched"}""", "application/merge-patch+json"),
            Request(HttpMethod.Delete, $"/items/{id}"),
        })
        {
            using var response = await client.SendAsync(sign(request));
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.Forbidden)
            {
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                Assert.Contains("createdBy", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
        }

        return [.. statuses];
    }

    private static async Task<JsonElement> CreateAsync(HttpClient client, Func<HttpRequestMessage, HttpRequestMessage> sign)
    {
        using var response = await client.SendAsync(sign(Request(HttpMethod.Post, "/items", """{"name":"owned"}""")));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static Func<HttpRequestMessage, HttpRequestMessage> Gateway(string header, string caller) =>
        request => GatewayIdentity.As(request, header, caller);

    private Func<HttpRequestMessage, HttpRequestMessage> Bearer(string subject) => request =>
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _issuer.CreateToken(subject));
        return request;
    };

    [Fact]
    public async Task Through_the_gateway_only_the_creator_may_change_an_item()
    {
        await using var app = GatewayIdentity.App(("Auth:OwnerWrites", "true"));
        var client = app.CreateClient();
        var alice = Gateway(GatewayIdentity.SubjectHeader, "alice");
        var id = (await CreateAsync(client, alice)).GetProperty("id").GetString()!;

        Assert.Equal([HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden], await ChangeAsync(client, id, Gateway(GatewayIdentity.SubjectHeader, "bob")));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.NoContent], await ChangeAsync(client, id, alice));
        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound], await ChangeAsync(client, id, Gateway(GatewayIdentity.SubjectHeader, "bob")));
    }

    [Fact]
    public async Task A_caller_without_sub_owns_its_items_by_the_principal_the_gateway_names()
    {
        await using var app = GatewayIdentity.App(("Auth:OwnerWrites", "true"));
        var client = app.CreateClient();
        var role = Gateway(GatewayIdentity.IamUserArnHeader, "arn:aws:iam::123456789012:user/ci");
        var item = await CreateAsync(client, role);
        Assert.Equal("arn:aws:iam::123456789012:user/ci", item.GetProperty("createdBy").GetString());
        var id = item.GetProperty("id").GetString()!;

        Assert.Equal([HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden], await ChangeAsync(client, id, Gateway(GatewayIdentity.IamUserArnHeader, "arn:aws:iam::123456789012:user/other")));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.NoContent], await ChangeAsync(client, id, role));
    }

    [Fact]
    public async Task With_bearer_tokens_only_the_creator_may_change_an_item()
    {
        await using var app = SecurityTestHost.Create("Development",
            ("Auth:Mode", "Jwt"), ("Auth:Jwt:Authority", _issuer.Authority), ("Auth:Jwt:Audience", "test-client"), ("Auth:Jwt:RequireHttpsMetadata", "false"),
            ("Auth:OwnerWrites", "true"));
        var client = app.CreateClient();
        var id = (await CreateAsync(client, Bearer("alice"))).GetProperty("id").GetString()!;

        Assert.Equal([HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden], await ChangeAsync(client, id, Bearer("bob")));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.NoContent], await ChangeAsync(client, id, Bearer("alice")));
    }

    [Fact]
    public async Task An_item_created_while_auth_was_off_has_no_owner_and_nobody_may_change_it()
    {
        await using var app = GatewayIdentity.App(("Auth:OwnerWrites", "true"));
        var client = app.CreateClient();
        var now = DateTimeOffset.UtcNow;
        var unowned = await app.Services.GetRequiredService<IItemRepository>().AddAsync(
            new Item(ItemRules.NewId(), "from before", null, Item.DefaultCategory, [], null, now, now, 0), CancellationToken.None);

        Assert.Equal([HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden], await ChangeAsync(client, unowned.Id, Gateway(GatewayIdentity.SubjectHeader, "alice")));
    }

    [Fact]
    public async Task Another_callers_write_is_refused_before_its_preconditions_so_it_learns_no_etag()
    {
        await using var app = GatewayIdentity.App(("Auth:OwnerWrites", "true"));
        var client = app.CreateClient();
        var id = (await CreateAsync(client, Gateway(GatewayIdentity.SubjectHeader, "alice"))).GetProperty("id").GetString()!;
        var bob = Gateway(GatewayIdentity.SubjectHeader, "bob");

        Assert.Equal([HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden], await ChangeAsync(client, id, request =>
        {
            request.Headers.IfMatch.ParseAdd("\"7\""); // stale: the owner would get a 412 naming the current ETag
            return bob(request);
        }));
        using var put = Request(HttpMethod.Put, $"/items/{id}", """{"name":"replaced"}""");
        put.Headers.IfNoneMatch.ParseAdd("*"); // matches: the owner would get a 412 naming the current ETag
        using var response = await client.SendAsync(bob(put));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Not the item's owner", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
    }

    [Fact]
    public async Task A_malformed_write_is_a_400_whoever_sends_it_and_tells_nothing_about_the_item()
    {
        await using var app = GatewayIdentity.App(("Auth:OwnerWrites", "true"));
        var client = app.CreateClient();
        var id = (await CreateAsync(client, Gateway(GatewayIdentity.SubjectHeader, "alice"))).GetProperty("id").GetString()!;

        foreach (var target in new[] { id, ItemRules.NewId() })
        {
            Assert.Equal([HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest], await ChangeAsync(client, target, request =>
            {
                request.Headers.TryAddWithoutValidation("If-Match", "not-an-etag");
                return Gateway(GatewayIdentity.SubjectHeader, "bob")(request);
            }));
        }
    }

    [Fact]
    public async Task Off_by_default_any_authenticated_caller_may_change_any_item()
    {
        await using var app = GatewayIdentity.App();
        var client = app.CreateClient();
        var id = (await CreateAsync(client, Gateway(GatewayIdentity.SubjectHeader, "alice"))).GetProperty("id").GetString()!;

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.NoContent], await ChangeAsync(client, id, Gateway(GatewayIdentity.SubjectHeader, "bob")));
    }

    [Fact]
    public async Task Owner_writes_without_an_identifying_auth_mode_fail_at_startup()
    {
        await using var app = SecurityTestHost.Create("Development", ("Auth:Mode", "None"), ("Auth:OwnerWrites", "true"));

        Assert.Contains("Auth:OwnerWrites", Assert.ThrowsAny<Exception>(() => app.CreateClient()).ToString(), StringComparison.Ordinal);
    }
}
