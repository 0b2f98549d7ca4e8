namespace CloudNativeApp.LambdaHosting;

/// <summary>Lambda-specific data of the current request.</summary>
public static class LambdaHttpContextExtensions
{
    /// <summary>The Lambda context of the invocation behind this request, or null outside Lambda.</summary>
    public static ILambdaContext? GetLambdaContext(this HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        return httpContext.Features.Get<ILambdaContext>();
    }

    /// <summary>The raw event behind this request, or null outside Lambda.</summary>
    public static ILambdaEventFeature? GetLambdaEvent(this HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        return httpContext.Features.Get<ILambdaEventFeature>();
    }
}
