using System.Security.Claims;

namespace CloudNativeApp.Tests.Security;

/// <summary>
/// Stands in for the Lambda hosting layer, which puts the authorizer's claims on HttpContext.User before the app runs
/// (that translation is tested with real events in the hosting library's tests): a test header names the caller the
/// way each authorizer does, with the same authentication types and name claims.
/// </summary>
internal sealed class GatewayIdentity : IStartupFilter
{
    /// <summary>A Cognito user pool or JWT authorizer: claims with <c>sub</c>.</summary>
    public const string SubjectHeader = "X-Test-Gateway-Sub";

    /// <summary>IAM authorization: the caller's user ARN, no <c>sub</c>.</summary>
    public const string IamUserArnHeader = "X-Test-Gateway-Iam-User-Arn";

    /// <summary>A Lambda authorizer: its <c>principalId</c>, no <c>sub</c>.</summary>
    public const string PrincipalIdHeader = "X-Test-Gateway-Principal-Id";

    /// <summary>The app in <c>Auth:Mode=ApiGateway</c> (in memory, no rate limit) with this identity in front of it.</summary>
    public static WebApplicationFactory<Program> App(params (string Key, string? Value)[] settings) =>
        SecurityTestHost.Create("Production", [("Auth:Mode", "ApiGateway"), ("RateLimiting:Enabled", "false"), .. settings])
            .WithWebHostBuilder(host => host.ConfigureServices(services => services.AddSingleton<IStartupFilter, GatewayIdentity>()));

    public static HttpRequestMessage As(HttpRequestMessage request, string header, string value)
    {
        request.Headers.Add(header, value);
        return request;
    }

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            var headers = context.Request.Headers;
            if (headers.TryGetValue(SubjectHeader, out var subject))
            {
                context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", subject.ToString())], "CognitoUserPool", "sub", "cognito:groups"));
            }
            else if (headers.TryGetValue(IamUserArnHeader, out var userArn))
            {
                context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim("userArn", userArn.ToString()), new Claim("accountId", "123456789012")], "IAM", "userArn", "role"));
            }
            else if (headers.TryGetValue(PrincipalIdHeader, out var principalId))
            {
                context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim("principalId", principalId.ToString())], "LambdaAuthorizer", "principalId", "role"));
            }

            return nextMiddleware(context);
        });
        next(app);
    };
}
