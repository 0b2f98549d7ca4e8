namespace CloudNativeApp.Infrastructure;

/// <summary>
/// A request body whose Content-Type names a charset .NET cannot decode (<c>application/json; charset=utf-99</c>,
/// or an empty <c>charset=</c>) is a 415 problem. Left alone, the framework's JSON body reader throws an
/// InvalidOperationException for it, which would surface as a 500.
/// </summary>
public static class RequestCharset
{
    public static WebApplication UseRequestCharsetCheck(this WebApplication app)
    {
        // Not async: passing the request on returns next's task as is, without a state machine per request.
        app.Use((context, next) => UnsupportedCharset(context.Request.ContentType) is { } charset
            ? ProblemResponse.WriteAsync(
                context, StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", $"The charset '{charset}' is not supported; send JSON as UTF-8.")
            : next(context));
        return app;
    }

    /// <summary>The charset parameter when it is present and not an encoding .NET knows; otherwise null.</summary>
    internal static string? UnsupportedCharset(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var mediaType) || !mediaType.Parameters.Any(p => p.Name.Equals("charset", StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        var charset = mediaType.Charset.Value ?? "";
        try
        {
            Encoding.GetEncoding(charset);
            return null;
        }
        catch (ArgumentException)
        {
            return charset;
        }
    }
}
