using CloudNativeApp.Security.Authorizer;

namespace CloudNativeApp.Tests.Security;

/// <summary>
/// The app's Lambda authorizer decision, in process against a local issuer (the published binary answering real
/// authorizer events is LambdaAuthorizerTests in the end-to-end project). It validates with the app's JwtBearer scheme.
/// </summary>
public sealed class JwtLambdaAuthorizerTests : IAsyncLifetime
{
    private const string MethodArn = "arn:aws:execute-api:us-east-1:123456789012:abcdef1234/Prod/POST/items";

    private LocalTokenIssuer _issuer = null!;

    public async Task InitializeAsync() => _issuer = await LocalTokenIssuer.StartAsync();

    public async Task DisposeAsync() => await _issuer.DisposeAsync();

    private static async Task<LambdaAuthorizerResult> AuthorizeAsync(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> app, string? authorization)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var authorizer = scope.ServiceProvider.GetRequiredService<ILambdaAuthorizerHandler>();
        return await authorizer.AuthorizeAsync(new LambdaAuthorizerRequest(LambdaAuthorizerEventKind.RestApiToken, authorization, MethodArn), null!, CancellationToken.None);
    }

    private Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> App(string? authority = null) =>
        SecurityTestHost.Create("Development",
            ("Auth:Mode", "Jwt"),
            ("Auth:Jwt:Authority", authority ?? _issuer.Authority),
            ("Auth:Jwt:Audience", "test-client"),
            ("Auth:Jwt:RequireHttpsMetadata", "false"));

    [Fact]
    public async Task A_valid_token_is_allowed_as_its_sub_with_its_scopes_and_issuer_in_the_context()
    {
        await using var app = App();

        var result = await AuthorizeAsync(app, $"Bearer {_issuer.CreateToken("user-7", scope: "items/write")}");

        Assert.Equal(LambdaAuthorizerDecision.Allow, result.Decision);
        Assert.Equal("user-7", result.PrincipalId);
        Assert.Equal("user-7", result.Context["sub"]);
        Assert.Equal("items/write", result.Context["scope"]);
        Assert.Equal(_issuer.Authority, result.Context["iss"]);
    }

    [Fact]
    public async Task Tokens_the_app_would_refuse_are_unauthorized_with_the_reason()
    {
        await using var app = App();
        using var otherKey = RSA.Create(2048);

        var wrongAudience = await AuthorizeAsync(app, $"Bearer {_issuer.CreateToken("user-7", audience: "someone-else")}");
        var foreign = await AuthorizeAsync(app, $"Bearer {_issuer.CreateToken("user-7", signWith: new RsaSecurityKey(otherKey) { KeyId = "test-key" })}");
        var basic = await AuthorizeAsync(app, "Basic dXNlcjpwYXNz");
        var missing = await AuthorizeAsync(app, null);

        Assert.All([wrongAudience, foreign, basic, missing], result => Assert.Equal(LambdaAuthorizerDecision.Unauthorized, result.Decision));
        Assert.Contains("IDX10214", wrongAudience.Reason, StringComparison.Ordinal); // audience validation failed
        Assert.Equal("The Authorization header is not a bearer token.", basic.Reason);
        Assert.Equal("The request carries no Authorization header.", missing.Reason);
    }

    [Fact]
    public async Task An_unreachable_issuer_is_a_function_error_not_a_401()
    {
        await using var app = App(authority: "http://127.0.0.1:9");

        var error = await Assert.ThrowsAsync<LambdaFunctionException>(() => AuthorizeAsync(app, $"Bearer {_issuer.CreateToken("user-7")}"));

        Assert.Equal(JwtLambdaAuthorizer.IssuerUnavailable, error.ErrorType);
    }

    [Fact]
    public async Task Without_Jwt_mode_the_authorizer_says_it_is_not_configured()
    {
        await using var app = SecurityTestHost.Create("Development", ("Auth:Mode", "None"));

        var error = await Assert.ThrowsAsync<LambdaFunctionException>(() => AuthorizeAsync(app, "Bearer x"));

        Assert.Equal(JwtLambdaAuthorizer.NotConfigured, error.ErrorType);
        Assert.Contains("Auth__Mode=Jwt", error.Message, StringComparison.Ordinal);
    }
}
