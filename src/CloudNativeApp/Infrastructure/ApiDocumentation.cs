using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Routing.Constraints;

namespace CloudNativeApp.Infrastructure;

public static partial class ApiDocumentation
{
    public const string SwaggerUiPath = "/swagger";

    public static WebApplicationBuilder AddApiDocumentation(this WebApplicationBuilder builder)
    {
        // Swashbuckle's route template uses the regex constraint, which CreateSlimBuilder leaves out.
        builder.Services.Configure<RouteOptions>(options => options.SetParameterPolicy<RegexInlineRouteConstraint>("regex"));
        builder.Services.AddEndpointsApiExplorer();
        builder.Services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc("v1", new() { Title = "CloudNativeApp", Version = "v1", Description = "Calculator and items API." });
            options.SupportNonNullableReferenceTypes();
        });
        return builder;
    }

    /// <summary>
    /// Swagger UI and the OpenAPI document under <c>/swagger</c>. Nothing of Swagger runs at startup (cold starts stay
    /// short): its middleware is built on the first <c>/swagger</c> request (Swagger UI indexes its embedded files when
    /// constructed) and the document is generated on the first request for it.
    /// </summary>
    public static WebApplication UseApiDocumentation(this WebApplication app)
    {
        app.UseLazyBranch(SwaggerUiPath, swagger =>
        {
            swagger.UseSwagger();
            swagger.UseSwaggerUI(options =>
            {
                // Relative, so the UI also works under an API Gateway stage prefix such as /Prod/swagger.
                options.SwaggerEndpoint("v1/swagger.json", "CloudNativeApp v1");
                options.DocumentTitle = "CloudNativeApp API";
            });
        });
        LogSwaggerUiAddressesOnceListening(app);
        return app;
    }

    /// <summary>
    /// Where a developer opens Swagger UI, once Kestrel listens. Not under Lambda: the app has no address there (the
    /// gateway's URL, which the app does not know, is the way in).
    /// </summary>
    private static void LogSwaggerUiAddressesOnceListening(WebApplication app)
    {
        var server = app.Services.GetRequiredService<IServer>();
        if (!server.IsKestrel())
        {
            return;
        }

        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ApiDocumentation).FullName!);
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            foreach (var address in server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [])
            {
                LogSwaggerUi(logger, address, SwaggerUiPath);
            }
        });
    }

    // Kestrel's addresses have no trailing slash (http://localhost:5000).
    [LoggerMessage(Level = LogLevel.Information, Message = "Swagger UI: {Address}{Path}")]
    private static partial void LogSwaggerUi(ILogger logger, string address, string path);
}
