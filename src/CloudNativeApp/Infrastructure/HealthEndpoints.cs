namespace CloudNativeApp.Infrastructure;

public static class HealthEndpoints
{
    /// <summary>Health checks tagged with this take part in readiness (dependencies), not liveness.</summary>
    public const string ReadinessTag = "ready";

    public static WebApplication MapHealthEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/health", new() { Predicate = _ => false }).ExcludeFromDescription();
        app.MapHealthChecks("/health/ready", new() { Predicate = check => check.Tags.Contains(ReadinessTag) }).ExcludeFromDescription();
        return app;
    }
}
