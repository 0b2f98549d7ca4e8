namespace CloudNativeApp.Infrastructure;

/// <summary>Whether the document and Swagger UI are served at all, and what Swagger UI's page may load.</summary>
public static partial class ApiDocumentation
{
    /// <summary>Configuration key: serve the OpenAPI document and Swagger UI (default true); false answers 404 under <c>/swagger</c>.</summary>
    public const string EnabledKey = "ApiDocumentation:Enabled";

    /// <summary>
    /// Like the web page's policy: only the app's own scripts, styles and requests. Swagger UI sets inline styles on its
    /// elements, hence <c>'unsafe-inline'</c> for styles only; its icons are <c>data:</c> images.
    /// </summary>
    public const string SwaggerUiContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "connect-src 'self'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'; object-src 'none'";

    private static bool IsEnabled(IConfiguration configuration) => configuration.GetValue(EnabledKey, defaultValue: true);

    private static Task ApplySwaggerUiContentSecurityPolicy(HttpContext context, RequestDelegate next)
    {
        context.Response.Headers[HeaderNames.ContentSecurityPolicy] = SwaggerUiContentSecurityPolicy;
        return next(context);
    }
}
