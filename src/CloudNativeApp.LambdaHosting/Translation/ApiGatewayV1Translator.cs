using System.Text.Json;
using CloudNativeApp.LambdaHosting.Http;

namespace CloudNativeApp.LambdaHosting.Translation;

/// <summary>API Gateway REST API (Lambda proxy integration), payload format 1.0.</summary>
internal sealed class ApiGatewayV1Translator(LambdaHostingOptions options, ContentTypes contentTypes) : EventTranslator(options, contentTypes)
{
    public override LambdaEventSource Source => LambdaEventSource.ApiGatewayV1;

    // Hand-written test events often carry only httpMethod and path; ALB events (which also have httpMethod) are
    // recognised before this one.
    public override bool CanTranslate(JsonElement root) =>
        root.Property("httpMethod"u8).ValueKind == JsonValueKind.String
        && root.Object("requestContext"u8).Property("elb"u8).ValueKind == JsonValueKind.Undefined;

    public override void ReadRequest(JsonElement root, LambdaHttpFeatures features)
    {
        var context = root.Object("requestContext"u8);
        features.RequestContext = context;
        features.Method = root.String("httpMethod"u8) ?? context.String("httpMethod"u8) ?? "GET";
        features.Protocol = context.String("protocol"u8) ?? "HTTP/1.1";

        // "path" is the resource path the client asked for; requestContext.path adds the stage ("/Prod/...") or a
        // custom domain's base path, which becomes PathBase so links (Swagger UI) keep the prefix.
        var rawPath = root.String("path"u8) ?? "/";
        var rawFullPath = context.String("path"u8);
        // The stage root arrives as path "/" with requestContext.path "/Prod" (no trailing slash): the root's "/" is
        // not part of the suffix to strip.
        var suffix = rawPath == "/" ? "" : rawPath;
        var rawPathBase = rawFullPath is not null && rawFullPath.Length > suffix.Length && rawFullPath.EndsWith(suffix, StringComparison.Ordinal)
            ? rawFullPath[..^suffix.Length].TrimEnd('/')
            : "";
        features.PathBase = rawPathBase.Length == 0 ? "" : DecodePath(rawPathBase);
        features.Path = DecodePath(rawPath);

        var multiValueQuery = root.Object("multiValueQueryStringParameters"u8);
        features.QueryString = multiValueQuery.ValueKind == JsonValueKind.Object
            ? BuildQueryString(multiValueQuery, multiValue: true, valuesAreEncoded: false)
            : BuildQueryString(root.Object("queryStringParameters"u8), multiValue: false, valuesAreEncoded: false);
        features.RawTarget = rawPathBase + rawPath + features.QueryString;

        var multiValueHeaders = root.Object("multiValueHeaders"u8);
        if (multiValueHeaders.ValueKind == JsonValueKind.Object)
        {
            ReadMultiValueHeaders(multiValueHeaders, features);
        }
        else
        {
            ReadSingleValueHeaders(root.Object("headers"u8), features);
        }

        ReadHostAndScheme(features, context.String("domainName"u8));
        var identity = context.Object("identity"u8);
        features.SetRemoteIp(identity.String("sourceIp"u8));
        features.SetClientCertificatePem(identity.Object("clientCert"u8).String("clientCertPem"u8));
        features.SetFallbackTraceIdentifier(context.String("requestId"u8));
        ReadBody(root, features);
    }

    // Only multiValueHeaders: API Gateway merges it with "headers", so one of them carries everything, including
    // every Set-Cookie.
    public override void WriteResponse(LambdaHttpFeatures features, Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        WriteStatusCode(writer, features);
        WriteMultiValueHeaders(writer, features);
        WriteBody(writer, features);
        writer.WriteEndObject();
    }
}
