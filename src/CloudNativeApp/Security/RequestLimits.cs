using Microsoft.AspNetCore.Http.Features;

namespace CloudNativeApp.Security;

/// <summary>Configuration section <c>Limits</c>.</summary>
public sealed class RequestLimitsOptions
{
    public const string SectionName = "Limits";

    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    public int MaxRequestHeadersTotalBytes { get; set; } = 32 * 1024;

    public int MaxRequestHeaderCount { get; set; } = 100;

    /// <summary>
    /// On Kestrel, a body declared larger than <see cref="MaxRequestBodyBytes"/> but at most this is read and discarded
    /// after its 413 is sent (within Kestrel's fixed 5 s drain time), so a client that writes its whole body before
    /// reading (Python's urllib, many scripts) gets the 413 instead of a broken pipe. 0 turns it off.
    /// </summary>
    public long MaxDrainedRequestBodyBytes { get; set; } = 8 * 1024 * 1024;
}

public static class RequestLimits
{
    /// <summary>Body and header limits (Kestrel enforces them natively; other servers by Content-Length) and no Server banner.</summary>
    public static WebApplicationBuilder AddRequestLimits(this WebApplicationBuilder builder)
    {
        var limits = builder.Configuration.GetSection(RequestLimitsOptions.SectionName).Get<RequestLimitsOptions>() ?? new RequestLimitsOptions();
        if (limits.MaxDrainedRequestBodyBytes < 0)
        {
            throw new InvalidOperationException("Limits:MaxDrainedRequestBodyBytes must be 0 (off) or more.");
        }

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
    /// The body limit on every request: a declared body over it is a 413 problem at once, on every server; a chunked
    /// body is stopped while it is read by servers that enforce the limit themselves (Kestrel).
    /// </summary>
    /// <remarks>
    /// Lingering close: answering before the body is read leaves the rest of it in flight, and closing a connection
    /// with unread data makes the kernel reset it, often before the client has read the 413. So on Kestrel a declared
    /// body of at most <see cref="RequestLimitsOptions.MaxDrainedRequestBodyBytes"/> is let through Kestrel's own drain
    /// of unread bodies (at most 5 s, and the minimum data rate) and the connection closes after it. Bounded in bytes
    /// and time, a drain costs no more than an accepted request; larger declared bodies are cut off as before.
    /// </remarks>
    public static WebApplication UseRequestLimits(this WebApplication app)
    {
        var limits = app.Services.GetRequiredService<RequestLimitsOptions>();
        // Not async: passing the request on returns next's task as is, without a state machine per request.
        app.Use((context, next) =>
        {
            var declared = context.Request.ContentLength;
            var bodySize = context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature ? feature : null;
            if (declared > limits.MaxRequestBodyBytes)
            {
                if (bodySize is not null && declared <= limits.MaxDrainedRequestBodyBytes)
                {
                    bodySize.MaxRequestBodySize = declared;
                    context.Response.Headers.Connection = "close";
                }

                return ProblemResponse.WriteAsync(
                    context, StatusCodes.Status413PayloadTooLarge, "Request body too large", $"The request body may be at most {limits.MaxRequestBodyBytes} bytes.");
            }

            bodySize?.MaxRequestBodySize = limits.MaxRequestBodyBytes;
            return next(context);
        });
        return app;
    }
}
