namespace CloudNativeApp.LambdaHosting.Translation;

/// <summary>API Gateway REST API (Lambda proxy integration), payload format 1.0.</summary>
internal sealed class RestApiTranslator(LambdaHostingOptions options, ContentTypes contentTypes) : EventTranslator(options, contentTypes)
{
    public override LambdaEventSource Source => LambdaEventSource.RestApi;

    // Hand-written test events often carry only httpMethod and path; ALB events (which also have httpMethod) are
    // recognised before this one.
    public override bool CanTranslate(LambdaEvent lambdaEvent) =>
        lambdaEvent.HttpMethod.IsString && !lambdaEvent.RequestContext.HasElb;

    public override void ReadRequest(LambdaEvent lambdaEvent, LambdaHttpFeatures features)
    {
        var context = lambdaEvent.RequestContext;
        features.Method = lambdaEvent.String(lambdaEvent.HttpMethod) ?? lambdaEvent.String(context.HttpMethod) ?? "GET";
        features.Protocol = lambdaEvent.String(context.Protocol) ?? "HTTP/1.1";

        // On the execute-api domain "path" lacks the stage that requestContext.path starts with ("/Prod/..."); on a
        // custom domain both are the client's path, base path mapping included ("/v1/..."). The stage, and whatever
        // leads "path" before the route that matched (resource with pathParameters filled in), become PathBase so
        // links (Swagger UI) keep them.
        var rawPath = lambdaEvent.String(lambdaEvent.Path) ?? "/";
        var rawStage = StagePrefix(rawPath, lambdaEvent.String(context.Path));
        var rawRoute = rawPath;
        var rawBasePath = "";
        if (lambdaEvent.String(lambdaEvent.Resource) is { } resource
            && RouteTemplate.PrefixLength(lambdaEvent, rawPath, resource) is > 0 and var prefixLength)
        {
            rawBasePath = rawPath[..prefixLength];
            rawRoute = rawPath[prefixLength..];
        }

        var rawPathBase = rawStage + rawBasePath;
        features.PathBase = rawPathBase.Length == 0 ? "" : DecodePath(rawPathBase);
        features.Path = DecodePath(rawRoute);

        features.QueryString = BuildQueryString(lambdaEvent, valuesAreEncoded: false);
        features.RawTarget = rawStage + rawPath + features.QueryString;

        ReadSingleOrMultiValueHeaders(lambdaEvent, features);
        ReadGatewayConnectionAndBody(lambdaEvent, features, context.IdentitySourceIp, context.IdentityClientCertPem);
    }

    // requestContext.path minus "path". The stage root arrives as path "/" with requestContext.path "/Prod" (no
    // trailing slash): the root's "/" is not part of the suffix to strip.
    private static string StagePrefix(string rawPath, string? rawFullPath)
    {
        var suffix = rawPath == "/" ? "" : rawPath;
        return rawFullPath is not null && rawFullPath.Length > suffix.Length && rawFullPath.EndsWith(suffix, StringComparison.Ordinal)
            ? rawFullPath[..^suffix.Length].TrimEnd('/')
            : "";
    }

    // Only multiValueHeaders: API Gateway merges it with "headers", so one of them carries everything, including
    // every Set-Cookie.
    //
    // A REST API gives a proxy response without Content-Type the header "Content-Type: application/json" (a 302, a 204
    // or a bodiless 202 would reach the client claiming JSON). The Lambda proxy output format documentation does not
    // describe that default nor a way around it; a null value does it: API Gateway then sends no Content-Type
    // (aws/aws-sam-cli#1218 reports it from a deployed API, where AWS's own bridge, Amazon.Lambda.AspNetCoreServer's
    // APIGatewayProxyFunction.MarshallResponse, has sent "Content-Type": [null] for exactly this for years).
    public override void WriteResponse(LambdaEvent lambdaEvent, LambdaHttpFeatures features, Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        WriteResponseHead(features, writer, nullContentTypeWhenUnset: true);
        WriteBody(writer, features);
        writer.WriteEndObject();
    }

    /// <summary>
    /// statusCode and multiValueHeaders: the response without its body, also the prelude of a streamed one. The
    /// prelude leaves the null Content-Type out: the documented stream metadata format has no such value, and nothing
    /// says API Gateway adds a default there.
    /// </summary>
    public static void WriteResponseHead(LambdaHttpFeatures features, Utf8JsonWriter writer, bool nullContentTypeWhenUnset = false)
    {
        WriteStatusCode(writer, features);
        WriteMultiValueHeaders(writer, features, nullContentTypeWhenUnset);
    }
}
