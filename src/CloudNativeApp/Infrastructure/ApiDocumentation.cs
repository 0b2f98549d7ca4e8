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

    /// <summary>The document is generated on first request, never at startup (cold starts stay short).</summary>
    public static WebApplication MapApiDocumentation(this WebApplication app)
    {
        app.UseSwagger();
        app.UseSwaggerUI(options =>
        {
            // Relative, so the UI also works under an API Gateway stage prefix such as /Prod/swagger.
            options.SwaggerEndpoint("v1/swagger.json", "CloudNativeApp v1");
            options.DocumentTitle = "CloudNativeApp API";
        });
        return app;
    }
}
