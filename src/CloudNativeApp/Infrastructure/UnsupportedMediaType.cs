using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing.Template;

namespace CloudNativeApp.Infrastructure;

/// <summary>
/// The detail of a 415 that routing gives (an endpoint's accepted media types do not include the request's): the
/// media types the endpoint does accept, so the client knows what to send (a PATCH sent as <c>application/json</c>
/// is told to use <c>application/merge-patch+json</c>). Routing's own 415 says nothing; this runs only for it.
/// </summary>
internal static class UnsupportedMediaType
{
    public static string Describe(HttpContext context)
    {
        var request = context.Request;
        var accepted = context.RequestServices.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(endpoint => endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Contains(request.Method, StringComparer.OrdinalIgnoreCase) ?? false)
            .Where(endpoint => new TemplateMatcher(new RouteTemplate(endpoint.RoutePattern), []).TryMatch(request.Path, []))
            .SelectMany(endpoint => endpoint.Metadata.GetMetadata<IAcceptsMetadata>()?.ContentTypes ?? [])
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        var sent = string.IsNullOrEmpty(request.ContentType) ? "no Content-Type" : $"Content-Type: {request.ContentType}";
        return accepted.Count == 0
            ? $"The request body's media type is not supported ({sent})."
            : $"Send the body as {string.Join(" or ", accepted)} (Content-Type: {accepted[0]}); the request had {sent}.";
    }
}
