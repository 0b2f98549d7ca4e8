namespace CloudNativeApp.Security.Authorizer;

public static class LambdaAuthorizerServices
{
    /// <summary>
    /// Answers API Gateway Lambda authorizer events with the app's JWT validation (<see cref="JwtLambdaAuthorizer"/>):
    /// the same package deployed as a second function is the API's authorizer. Needs <c>Auth:Mode=Jwt</c> there.
    /// </summary>
    public static WebApplicationBuilder AddLambdaAuthorizer(this WebApplicationBuilder builder)
    {
        builder.Services.AddLambdaAuthorizerHandler<JwtLambdaAuthorizer>();
        return builder;
    }
}
