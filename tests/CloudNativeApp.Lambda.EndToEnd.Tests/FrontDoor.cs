namespace CloudNativeApp.Lambda.EndToEnd.Tests;

/// <summary>
/// What sits in front of the function in one deployment: the event sources it sends, and the app configuration that
/// deployment needs. A function serves one front door's security model, so scenarios run per front door.
/// </summary>
public interface IFrontDoor
{
    static abstract IReadOnlyList<HttpEventSource> Sources { get; }

    /// <summary>Adds the front door's settings to the app's environment and returns it.</summary>
    static abstract Dictionary<string, string?> Configure(Dictionary<string, string?> environment);
}

/// <summary>
/// API Gateway, REST or HTTP API, with an authorizer: the production configuration as is (Auth:Mode defaults to
/// ApiGateway outside Development), so writes need the authorizer's claims, which the test events carry.
/// </summary>
public sealed class ApiGatewayFrontDoor : IFrontDoor
{
    public static IReadOnlyList<HttpEventSource> Sources { get; } = [HttpEventSource.RestApi, HttpEventSource.HttpApi];

    public static Dictionary<string, string?> Configure(Dictionary<string, string?> environment) => environment;
}

/// <summary>An Application Load Balancer target group.</summary>
public sealed class AlbFrontDoor : IFrontDoor
{
    public static IReadOnlyList<HttpEventSource> Sources { get; } = [HttpEventSource.Alb, HttpEventSource.AlbMultiValue];

    public static Dictionary<string, string?> Configure(Dictionary<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);

        // An ALB has no authorizer: nothing vouches for the caller, so Auth:Mode=ApiGateway would refuse every write.
        // An ALB deployment validates tokens itself (Auth:Mode=Jwt, which needs a reachable issuer) or runs open
        // behind its own network controls (None); these tests take None.
        environment["Auth__Mode"] = "None";
        return environment;
    }
}
