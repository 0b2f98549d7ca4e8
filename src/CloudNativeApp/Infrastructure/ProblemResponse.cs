namespace CloudNativeApp.Infrastructure;

/// <summary>Problem details written by middleware (outside endpoints, where TypedResults are not available).</summary>
public static class ProblemResponse
{
    public static async Task WriteAsync(HttpContext context, int status, string title, string detail, string? type = null)
    {
        context.Response.StatusCode = status;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Title = title, Detail = detail, Type = type },
        });
    }
}
