namespace CloudNativeApp.LambdaHosting.Translation;

/// <summary>
/// API Gateway Lambda authorizer events: where each kind carries the caller's credential, and the answer each kind
/// expects (an IAM policy for REST API TOKEN and REQUEST authorizers, a simple response for HTTP API payload 2.0).
/// Recognising them is <see cref="LambdaEvent.AuthorizerKind"/>'s job.
/// </summary>
internal static class AuthorizerEventTranslator
{
    /// <summary>The error message API Gateway turns into a 401 for REST API authorizers (exactly this text).</summary>
    public const string UnauthorizedMessage = "Unauthorized";

    /// <summary>The authorizer request in <paramref name="eventJson"/>, or null when it is no authorizer event (or no JSON object).</summary>
    public static LambdaAuthorizerRequest? TryRead(ReadOnlyMemory<byte> eventJson)
    {
        var lambdaEvent = new LambdaEvent();
        using var body = new PooledBuffer();
        try
        {
            lambdaEvent.Read(eventJson, body);
        }
        catch (JsonException)
        {
            return null;
        }

        return lambdaEvent.AuthorizerKind is { } kind ? Read(lambdaEvent, kind) : null;
    }

    public static LambdaAuthorizerRequest Read(LambdaEvent lambdaEvent, LambdaAuthorizerEventKind kind)
    {
        var resource = lambdaEvent.String(kind == LambdaAuthorizerEventKind.HttpApiRequest ? lambdaEvent.RouteArn : lambdaEvent.MethodArn) ?? "";
        var token = kind == LambdaAuthorizerEventKind.RestApiToken
            ? lambdaEvent.String(lambdaEvent.AuthorizationToken)
            : AuthorizationHeader(lambdaEvent) ?? FirstIdentitySource(lambdaEvent);
        return new LambdaAuthorizerRequest(kind, string.IsNullOrEmpty(token) ? null : token, resource);
    }

    /// <summary>
    /// Writes <paramref name="result"/> as <paramref name="request"/>'s kind expects it.
    /// </summary>
    /// <exception cref="LambdaFunctionException">
    /// <see cref="LambdaAuthorizerDecision.Unauthorized"/> for a REST API: the error whose message API Gateway answers
    /// with 401 (a Deny policy would be a 403 and be cached for the token).
    /// </exception>
    public static void WriteResponse(LambdaAuthorizerRequest request, LambdaAuthorizerResult result, IBufferWriter<byte> response)
    {
        if (request.Kind != LambdaAuthorizerEventKind.HttpApiRequest && result.Decision == LambdaAuthorizerDecision.Unauthorized)
        {
            throw new LambdaFunctionException(LambdaErrorTypes.AuthorizerUnauthorized, UnauthorizedMessage);
        }

        using var writer = new Utf8JsonWriter(response);
        writer.WriteStartObject();
        if (request.Kind == LambdaAuthorizerEventKind.HttpApiRequest)
        {
            // Simple response (the authorizer's EnableSimpleResponses): HTTP APIs answer isAuthorized false with 403.
            writer.WriteBoolean("isAuthorized"u8, result.Decision == LambdaAuthorizerDecision.Allow);
        }
        else
        {
            writer.WriteString("principalId"u8, result.PrincipalId);
            writer.WriteStartObject("policyDocument"u8);
            writer.WriteString("Version"u8, "2012-10-17"u8);
            writer.WriteStartArray("Statement"u8);
            writer.WriteStartObject();
            writer.WriteString("Action"u8, "execute-api:Invoke"u8);
            writer.WriteString("Effect"u8, result.Decision == LambdaAuthorizerDecision.Allow ? "Allow"u8 : "Deny"u8);
            writer.WriteString("Resource"u8, PolicyResource(request.ResourceArn));
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        if (result.Decision == LambdaAuthorizerDecision.Allow)
        {
            writer.WriteStartObject("context"u8);
            foreach (var (name, value) in result.Context)
            {
                writer.WriteString(name, value);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    /// <summary>
    /// Every method of the stage the call is for ("arn:…:api-id/stage/GET/items" → "arn:…:api-id/stage/*"): API
    /// Gateway caches the policy per token and applies it to the caller's next calls too, so a policy naming only the
    /// first method would deny every other one until the cache expires.
    /// </summary>
    internal static string PolicyResource(string methodArn)
    {
        var path = methodArn.IndexOf('/', StringComparison.Ordinal);
        if (path < 0)
        {
            return methodArn;
        }

        var stageEnd = methodArn.IndexOf('/', path + 1);
        return stageEnd < 0 ? methodArn : string.Concat(methodArn.AsSpan(0, stageEnd), "/*");
    }

    // REST APIs keep the header names as sent, HTTP APIs lower-case them.
    private static string? AuthorizationHeader(LambdaEvent lambdaEvent)
    {
        if (!lambdaEvent.Headers.IsObject)
        {
            return null;
        }

        string? found = null;
        var section = lambdaEvent.Section(lambdaEvent.Headers);
        while (section.MoveToNextProperty())
        {
            if (string.Equals(section.Name, "Authorization", StringComparison.OrdinalIgnoreCase))
            {
                found = section.ValueText();
            }
        }

        return found;
    }

    private static string? FirstIdentitySource(LambdaEvent lambdaEvent)
    {
        var sources = lambdaEvent.IdentitySource;
        if (sources.IsString)
        {
            return lambdaEvent.String(sources);
        }

        if (!sources.IsArray)
        {
            return null;
        }

        var section = lambdaEvent.Section(sources);
        return section.MoveToNextItem(out var first) ? first : null;
    }
}
