using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using CloudNativeApp.Infrastructure;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;

namespace CloudNativeApp.Security;

/// <summary>Configuration section <c>RateLimiting</c>.</summary>
public sealed class RateLimitingOptions
{
    public const string SectionName = "RateLimiting";

    /// <summary>Defaults to true outside Development and false in Development.</summary>
    public bool? Enabled { get; set; }

    /// <summary>Requests per minute per user (authenticated) or per client IP (anonymous).</summary>
    public int PermitsPerMinute { get; set; } = 300;
}

public static class RateLimiting
{
    /// <summary>A fixed window per user or client IP; health probes are never limited.</summary>
    public static WebApplicationBuilder AddRateLimiting(this WebApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection(RateLimitingOptions.SectionName).Get<RateLimitingOptions>() ?? new RateLimitingOptions();
        if (!(settings.Enabled ?? !builder.Environment.IsDevelopment()))
        {
            return builder;
        }

        if (settings.PermitsPerMinute < 1)
        {
            throw new InvalidOperationException("RateLimiting:PermitsPerMinute must be at least 1.");
        }

        builder.Services.AddSingleton<RateLimitingEnabled>();
        builder.Services.Configure<OpenApiOptions>(ApiDocumentation.DocumentName, options => options.AddRateLimitTransformer());
        builder.Services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                context.Request.Path.StartsWithSegments("/health")
                    ? RateLimitPartition.GetNoLimiter("health")
                    : RateLimitPartition.GetFixedWindowLimiter(PartitionKey(context), _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = settings.PermitsPerMinute,
                        Window = TimeSpan.FromMinutes(1),
                        QueueLimit = 0,
                    }));
            options.OnRejected = WriteRejectionAsync;
        });
        return builder;
    }

    public static WebApplication UseRateLimiting(this WebApplication app)
    {
        if (app.Services.GetService<RateLimitingEnabled>() is not null)
        {
            app.UseRateLimiter();
        }

        return app;
    }

    internal static string PartitionKey(HttpContext context) =>
        context.User.FindFirstValue("sub") is { } subject
            ? $"user:{subject}"
            : $"ip:{context.Connection.RemoteIpAddress}";

    private static async ValueTask WriteRejectionAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
        context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        await ProblemResponse.WriteAsync(
            context, StatusCodes.Status429TooManyRequests, "Too many requests", "The request rate limit was exceeded; retry after the number of seconds in Retry-After.");
    }

    /// <summary>Registered only when limiting is on, so the middleware is left out entirely otherwise.</summary>
    private sealed class RateLimitingEnabled;
}
