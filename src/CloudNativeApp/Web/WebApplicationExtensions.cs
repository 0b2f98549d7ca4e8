using Microsoft.AspNetCore.ResponseCompression;
using Swashbuckle.AspNetCore.SwaggerUI;

namespace CloudNativeApp.Web;

/// <summary>The browser front-end in wwwroot: the page, its assets, compression and the link from Swagger UI back to it.</summary>
public static class WebApplicationExtensions
{
    /// <summary>Configuration key: compress responses in the app. Defaults to on, except in Lambda, where API Gateway compresses.</summary>
    public const string ResponseCompressionKey = "Web:ResponseCompression";

    public static WebApplicationBuilder AddWebApplication(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<StaticAssetVersions>();
        builder.Services.AddResponseCompression(options =>
        {
            options.MimeTypes = ResponseCompressionDefaults.MimeTypes.Concat(["image/svg+xml", "application/problem+json"]);
            options.Providers.Add<BrotliCompressionProvider>();
            options.Providers.Add<GzipCompressionProvider>();
        });

        // Swagger UI copies these options before applying the ones given to UseSwaggerUI, so the feature that owns the page owns the link.
        builder.Services.Configure<SwaggerUIOptions>(options => options.InjectJavascript("../swagger-ui-link.js"));
        return builder;
    }

    /// <summary>Compression and the files in wwwroot. Call before the endpoints' middleware, so compression also covers API responses.</summary>
    public static WebApplication UseWebApplication(this WebApplication app)
    {
        if (CompressesResponses(app.Configuration))
        {
            app.UseResponseCompression();
        }

        app.UseStaticFiles(new StaticFileOptions { OnPrepareResponse = StaticAssetCaching.Apply });
        return app;
    }

    /// <summary>The page, at <c>/</c> and <c>/index.html</c>, with versioned asset URLs.</summary>
    public static IEndpointRouteBuilder MapWebApplication(this IEndpointRouteBuilder routes)
    {
        routes.MapMethods("/", [HttpMethods.Get, HttpMethods.Head], IndexPage.Serve).ExcludeFromDescription();
        routes.MapMethods($"/{IndexPage.FileName}", [HttpMethods.Get, HttpMethods.Head], IndexPage.Serve).ExcludeFromDescription();
        return routes;
    }

    internal static bool CompressesResponses(IConfiguration configuration) =>
        configuration.GetValue<bool?>(ResponseCompressionKey) ?? string.IsNullOrEmpty(configuration["AWS_LAMBDA_FUNCTION_NAME"]);
}
