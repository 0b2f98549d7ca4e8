namespace CloudNativeApp.Infrastructure;

public static class ApiDefaults
{
    /// <summary>JSON, problem details and health checks shared by every feature.</summary>
    public static WebApplicationBuilder AddApiDefaults(this WebApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(options => ConfigureJson(options.SerializerOptions));

        // Binding failures are thrown so BadRequestExceptionHandler can turn them into problem details that say what was wrong.
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);

        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            // The W3C trace id is added by the framework; this one is the Lambda request id (or Kestrel's connection:request id).
            context.ProblemDetails.Extensions["requestId"] = context.HttpContext.TraceIdentifier;
            if (context.ProblemDetails is { Status: StatusCodes.Status415UnsupportedMediaType, Detail: null })
            {
                context.ProblemDetails.Detail = UnsupportedMediaType.Describe(context.HttpContext);
            }
        });
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
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

    /// <summary>
    /// A feature's compile-time JSON metadata (its <see cref="System.Text.Json.Serialization.JsonSerializerContext"/>),
    /// ahead of the reflection fallback for the HTTP API's JSON.
    /// </summary>
    public static IServiceCollection AddJsonMetadata(this IServiceCollection services, IJsonTypeInfoResolver metadata) =>
        services.ConfigureHttpJsonOptions(options => options.SerializerOptions.TypeInfoResolverChain.Insert(0, metadata));

    /// <summary>Strict request JSON: clients learn about typos and wrong types instead of having them ignored.</summary>
    /// <param name="options">Options to configure: the HTTP API's, or fresh ones (as in the Lambda direct-invocation handler).</param>
    /// <param name="metadata">Compile-time metadata to use ahead of anything already configured.</param>
    public static void ConfigureJson(JsonSerializerOptions options, params ReadOnlySpan<IJsonTypeInfoResolver> metadata)
    {
        // No reflection fallback of our own: the HTTP options bring ASP.NET Core's (only when reflection is enabled,
        // so not under Native AOT), and a type missing from the features' contexts fails on the JIT as it would in AOT.
        for (var i = 0; i < metadata.Length; i++)
        {
            options.TypeInfoResolverChain.Insert(i, metadata[i]);
        }

        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.PropertyNameCaseInsensitive = true;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.RespectNullableAnnotations = true;
        options.RespectRequiredConstructorParameters = true;
        options.AllowDuplicateProperties = false;
        options.MaxDepth = 32;
    }

    /// <summary>The metadata <paramref name="options"/> resolves for <typeparamref name="T"/>: typed calls without reflection-based overloads.</summary>
    public static JsonTypeInfo<T> GetTypeInfo<T>(this JsonSerializerOptions options) => (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
}
