using System.Text.Json;
using CloudNativeApp.LambdaHosting.Http;

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

        // "path" is the resource path the client asked for; requestContext.path adds the stage ("/Prod/...") or a
        // custom domain's base path, which becomes PathBase so links (Swagger UI) keep the prefix.
        var rawPath = lambdaEvent.String(lambdaEvent.Path) ?? "/";
        var rawFullPath = lambdaEvent.String(context.Path);
        // The stage root arrives as path "/" with requestContext.path "/Prod" (no trailing slash): the root's "/" is
        // not part of the suffix to strip.
        var suffix = rawPath == "/" ? "" : rawPath;
        var rawPathBase = rawFullPath is not null && rawFullPath.Length > suffix.Length && rawFullPath.EndsWith(suffix, StringComparison.Ordinal)
            ? rawFullPath[..^suffix.Length].TrimEnd('/')
            : "";
        features.PathBase = rawPathBase.Length == 0 ? "" : DecodePath(rawPathBase);
        features.Path = DecodePath(rawPath);

        features.QueryString = lambdaEvent.MultiValueQueryStringParameters.IsObject
            ? BuildQueryString(lambdaEvent, lambdaEvent.MultiValueQueryStringParameters, multiValue: true, valuesAreEncoded: false)
            : BuildQueryString(lambdaEvent, lambdaEvent.QueryStringParameters, multiValue: false, valuesAreEncoded: false);
        features.RawTarget = rawPathBase + rawPath + features.QueryString;

        if (lambdaEvent.MultiValueHeaders.IsObject)
        {
            ReadMultiValueHeaders(lambdaEvent, lambdaEvent.MultiValueHeaders, features);
        }
        else
        {
            ReadSingleValueHeaders(lambdaEvent, lambdaEvent.Headers, features);
        }

        ReadHostAndScheme(features, lambdaEvent.String(context.DomainName));
        features.SetRemoteIp(lambdaEvent.String(context.IdentitySourceIp));
        features.SetClientCertificatePem(lambdaEvent.String(context.IdentityClientCertPem));
        features.SetFallbackTraceIdentifier(lambdaEvent.String(context.RequestId));
        features.SetCallerIdentity(lambdaEvent.CallerIdentity(Source));
        ReadBody(lambdaEvent, features);
    }

    // Only multiValueHeaders: API Gateway merges it with "headers", so one of them carries everything, including
    // every Set-Cookie.
    public override void WriteResponse(LambdaEvent lambdaEvent, LambdaHttpFeatures features, Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        WriteResponseHead(features, writer);
        WriteBody(writer, features);
        writer.WriteEndObject();
    }

    /// <summary>statusCode and multiValueHeaders: the response without its body, also the prelude of a streamed one.</summary>
    public static void WriteResponseHead(LambdaHttpFeatures features, Utf8JsonWriter writer)
    {
        WriteStatusCode(writer, features);
        WriteMultiValueHeaders(writer, features);
    }
}
