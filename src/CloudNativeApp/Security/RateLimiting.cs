using System.Threading.RateLimiting;
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
    /// <summary>The problem type of a 429: RFC 6585's definition of the status.</summary>
    public const string TooManyRequestsType = "https://tools.ietf.org/html/rfc6585#section-4";

    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    /// <summary>A fixed one-minute window per user or client IP; health probes are never limited.</summary>
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
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddOptions<RateLimiterOptions>().Configure<TimeProvider>((options, clock) =>
        {
            options.GlobalLimiter = new FixedWindowLimiter(settings.PermitsPerMinute, Window, clock, context =>
                context.Request.Path.StartsWithSegments("/health") ? null : PartitionKey(context));
            options.OnRejected = WriteRejectionAsync;
        });
        builder.Services.AddRateLimiter(_ => { });
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
        // The seconds left in the caller's window, rounded up: retrying sooner is refused again.
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : Window;
        context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        await ProblemResponse.WriteAsync(
            context,
            StatusCodes.Status429TooManyRequests,
            "Too many requests",
            "The request rate limit was exceeded; retry after the number of seconds in Retry-After.",
            TooManyRequestsType);
    }

    /// <summary>Registered only when limiting is on, so the middleware is left out entirely otherwise.</summary>
    private sealed class RateLimitingEnabled;
}
