namespace CloudNativeApp.Security;

public static class SecurityHeaders
{
    /// <summary>
    /// Security headers on every response, and <c>Cache-Control: no-store</c> unless a handler chose a cache policy
    /// (static files do). Call before middleware that answers early (the request limits' 413), so those answers carry them too.
    /// </summary>
    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            context.Response.OnStarting(static state =>
            {
                var headers = ((HttpContext)state).Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
                if (string.IsNullOrEmpty(headers.CacheControl))
                {
                    headers.CacheControl = "no-store";
                }

                return Task.CompletedTask;
            }, context);
            return next(context);
        });
        return app;
    }
}
