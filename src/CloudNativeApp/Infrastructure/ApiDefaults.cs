using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using CloudNativeApp.Calculator;
using CloudNativeApp.Items;
using FluentValidation;

namespace CloudNativeApp.Infrastructure;

public static class ApiDefaults
{
    /// <summary>JSON, problem details, validation and health checks shared by every feature.</summary>
    public static WebApplicationBuilder AddApiDefaults(this WebApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(options => ConfigureJson(options.SerializerOptions));

        // Binding failures are thrown so BadRequestExceptionHandler can turn them into problem details that say what was wrong.
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);

        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
            // The W3C trace id is added by the framework; this one is the Lambda request id (or Kestrel's connection:request id).
            context.ProblemDetails.Extensions["requestId"] = context.HttpContext.TraceIdentifier);
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();

        // Listed rather than found by AddValidatorsFromAssemblyContaining, whose reflection scan of the assembly costs cold starts.
        builder.Services.AddScoped<IValidator<CalculationRequest>, CalculationRequestValidator>();
        builder.Services.AddScoped<IValidator<ItemRequest>, ItemRequestValidator>();
        builder.Services.AddScoped<IValidator<ItemListQuery>, ItemListQueryValidator>();
        builder.Services.AddHealthChecks();
        return builder;
    }

    public static WebApplication UseApiDefaults(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRequestCharsetCheck();
        return app;
    }

    /// <summary>Strict request JSON: clients learn about typos and wrong types instead of having them ignored.</summary>
    public static void ConfigureJson(JsonSerializerOptions options)
    {
        // The app's types from compile-time metadata; anything else by reflection, also on fresh options (whose
        // resolver is still unset, as in the Lambda direct-invocation handler).
        options.TypeInfoResolver = JsonTypeInfoResolver.Combine(AppJsonContext.Default, options.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver());
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.PropertyNameCaseInsensitive = true;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.RespectNullableAnnotations = true;
        options.RespectRequiredConstructorParameters = true;
        options.AllowDuplicateProperties = false;
        options.MaxDepth = 32;
    }
}
