using Microsoft.AspNetCore.Diagnostics;

namespace CloudNativeApp.Infrastructure;

/// <summary>
/// Turns request-binding failures (malformed JSON, wrong types, unknown properties, missing bodies,
/// unsupported content types) into problem details with the framework's status code and a detail
/// that names the offending JSON path, without leaking .NET type names.
/// </summary>
internal sealed class BadRequestExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException badRequest)
        {
            return false;
        }

        httpContext.Response.StatusCode = badRequest.StatusCode;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = badRequest.StatusCode,
                Title = badRequest.StatusCode switch
                {
                    StatusCodes.Status415UnsupportedMediaType => "Unsupported media type",
                    StatusCodes.Status413PayloadTooLarge => "Request body too large",
                    _ => "Invalid request",
                },
                Detail = Describe(badRequest),
            },
        });
    }

    internal static string Describe(BadHttpRequestException exception) => exception.InnerException switch
    {
        JsonException { InnerException: InvalidOperationException utf8 } json when utf8.Message.Contains("UTF-8", StringComparison.Ordinal) =>
            $"The request body is not valid UTF-8{(json.Path is { } at ? $" (at '{at}')" : "")}: send JSON encoded as UTF-8.",
        JsonException json when json.Message.Contains("invalid UTF-8", StringComparison.OrdinalIgnoreCase) =>
            "The request body is not valid UTF-8: send JSON encoded as UTF-8.",
        JsonException { Path: { } path } json when json.Message.Contains("could not be mapped", StringComparison.Ordinal) =>
            $"The JSON property '{path}' is not recognised.",
        JsonException { Path: { } path } json when json.Message.Contains("missing required properties", StringComparison.Ordinal) =>
            $"The request body is missing required properties: {MissingProperties(json.Message)}.",
        JsonException { Path: { } path } json when json.Message.Contains("could not be converted", StringComparison.Ordinal) =>
            $"The JSON value at '{path}' has the wrong type or is out of range.",
        JsonException { Path: { } path } => $"The request body is not valid JSON (at '{path}').",
        JsonException => "The request body is not valid JSON.",
        _ => exception.StatusCode == StatusCodes.Status415UnsupportedMediaType
            ? "The request body must be JSON (Content-Type: application/json)."
            : SanitiseBindingMessage(exception.Message),
    };

    // System.Text.Json lists them as: "... missing required properties including: 'number1', 'number2'."
    private static string MissingProperties(string message)
    {
        var start = message.IndexOf("including:", StringComparison.Ordinal);
        return start < 0 ? "see the API description" : message[(start + "including:".Length)..].Trim().TrimEnd('.');
    }

    // Minimal API binding messages mention parameter types ("Failed to bind parameter \"decimal x\" from \"abc\"."):
    // keep the parameter name and value, drop the .NET type.
    private static string SanitiseBindingMessage(string message)
    {
        const string prefix = "Failed to bind parameter \"";
        if (message.StartsWith(prefix, StringComparison.Ordinal))
        {
            var declaration = message[prefix.Length..message.IndexOf('"', prefix.Length)];
            var name = declaration[(declaration.LastIndexOf(' ') + 1)..];
            var from = message.IndexOf(" from ", StringComparison.Ordinal);
            var value = from < 0 ? "" : $" {message[(from + " from ".Length)..].TrimEnd('.')}";
            return $"The value{value} is not valid for '{name}'.";
        }

        return message.Contains("body was provided", StringComparison.Ordinal) || message.Contains("body was empty", StringComparison.OrdinalIgnoreCase)
            ? "A JSON request body is required."
            : "The request could not be read.";
    }
}
