using Microsoft.AspNetCore.Routing.Constraints;

namespace CloudNativeApp.Infrastructure;

public static class ApiDocumentation
{
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
    /// Nothing of Swagger runs at startup (cold starts stay short): its middleware is built on the first
    /// <c>/swagger</c> request (Swagger UI indexes its embedded files when constructed) and the document is
    /// generated on the first request for it.
    /// </summary>
    public static WebApplication MapApiDocumentation(this WebApplication app)
    {
        app.UseLazyBranch("/swagger", swagger =>
        {
            swagger.UseSwagger();
            swagger.UseSwaggerUI(options =>
            {
                // Relative, so the UI also works under an API Gateway stage prefix such as /Prod/swagger.
                options.SwaggerEndpoint("v1/swagger.json", "CloudNativeApp v1");
                options.DocumentTitle = "CloudNativeApp API";
            });
        });
        return app;
    }
}
