using CloudNativeApp.Infrastructure;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.OpenApi;

namespace CloudNativeApp.Security;

/// <summary>Configuration section <c>Limits</c>.</summary>
public sealed class RequestLimitsOptions
{
    public const string SectionName = "Limits";

    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    public int MaxRequestHeadersTotalBytes { get; set; } = 32 * 1024;

    public int MaxRequestHeaderCount { get; set; } = 100;
}

public static class RequestLimits
{
    /// <summary>Body and header limits (Kestrel enforces them natively; other servers by Content-Length) and no Server banner.</summary>
    public static WebApplicationBuilder AddRequestLimits(this WebApplicationBuilder builder)
    {
        var limits = builder.Configuration.GetSection(RequestLimitsOptions.SectionName).Get<RequestLimitsOptions>() ?? new RequestLimitsOptions();
        builder.Services.AddSingleton(limits);
        builder.Services.Configure<OpenApiOptions>(ApiDocumentation.DocumentName, options => options.AddRequestLimitTransformer(limits.MaxRequestBodyBytes));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = limits.MaxRequestBodyBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = limits.MaxRequestHeadersTotalBytes;
            kestrel.Limits.MaxRequestHeaderCount = limits.MaxRequestHeaderCount;
        });
        return builder;
    }

    /// <summary>
    /// The body limit on every request: set on servers that can enforce it while reading (Kestrel), and a 413 problem
    /// for declared bodies over it on servers without native limits (Lambda, test hosts).
    /// </summary>
    public static WebApplication UseRequestLimits(this WebApplication app)
    {
        var limits = app.Services.GetRequiredService<RequestLimitsOptions>();
        app.Use(async (context, next) =>
        {
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
            {
                bodySize.MaxRequestBodySize = limits.MaxRequestBodyBytes;
            }
            else if (context.Request.ContentLength > limits.MaxRequestBodyBytes)
            {
                await ProblemResponse.WriteAsync(
                    context, StatusCodes.Status413PayloadTooLarge, "Request body too large", $"The request body may be at most {limits.MaxRequestBodyBytes} bytes.");
                return;
            }

            await next(context);
        });
        return app;
    }
}
