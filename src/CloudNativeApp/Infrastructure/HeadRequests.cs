using Microsoft.AspNetCore.Routing;

namespace CloudNativeApp.Infrastructure;

/// <summary>HEAD on every GET route (RFC 9110 §9.3.2): the same status and headers, no body.</summary>
public static class HeadRequests
{
    /// <summary>
    /// The GET endpoints of <paramref name="builder"/> also answer HEAD. Servers send no body for HEAD (Kestrel discards
    /// what the handler writes; the Lambda hosting layer drops it), so the handler runs as for GET. The OpenAPI
    /// document leaves these HEAD operations out (<see cref="ApiDocumentation"/>): they would repeat each GET's
    /// operation id, and the rule is stated once in docs/api.md.
    /// </summary>
    public static TBuilder AnswerHeadOnGets<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.Add(endpoint =>
        {
            for (var i = 0; i < endpoint.Metadata.Count; i++)
            {
                if (endpoint.Metadata[i] is HttpMethodMetadata { HttpMethods: [var only] } methods && HttpMethods.IsGet(only))
                {
                    endpoint.Metadata[i] = new HttpMethodMetadata([HttpMethods.Get, HttpMethods.Head], methods.AcceptCorsPreflight);
                }
            }
        });
        return builder;
    }
}
