namespace CloudNativeApp.LambdaHosting;

/// <summary>
/// An authorizer's answer. How each one reaches the caller: <see cref="Allow"/> → the request goes on, with the
/// context in <c>requestContext.authorizer</c> (REST API: <c>principalId</c> and the context keys; HTTP API:
/// <c>authorizer.lambda</c>). <see cref="Deny"/> → REST API: a Deny policy, 403 "explicit deny"; HTTP API:
/// <c>isAuthorized: false</c>, 403. <see cref="Unauthorized"/> (no usable credential) → REST API: the function error
/// whose message is exactly <c>Unauthorized</c>, which API Gateway answers with 401 so clients sign in again; HTTP
/// API, whose simple responses cannot say 401: <c>isAuthorized: false</c>, 403. API Gateway caches the answer for the
/// authorizer's result TTL, keyed by the token.
/// </summary>
public sealed class LambdaAuthorizerResult
{
    private LambdaAuthorizerResult(LambdaAuthorizerDecision decision, string? principalId, IReadOnlyDictionary<string, string>? context, string? reason)
    {
        Decision = decision;
        PrincipalId = principalId;
        Context = context ?? new Dictionary<string, string>(StringComparer.Ordinal);
        Reason = reason;
    }

    /// <summary>Allow, Deny or Unauthorized.</summary>
    public LambdaAuthorizerDecision Decision { get; }

    /// <summary>Who the caller is (REST API <c>principalId</c>); null for <see cref="Unauthorized"/>.</summary>
    public string? PrincipalId { get; }

    /// <summary>
    /// Values handed to the API's integration. String values only: REST APIs accept nothing else (no arrays or
    /// objects), so a list (scopes) is sent space-separated.
    /// </summary>
    public IReadOnlyDictionary<string, string> Context { get; }

    /// <summary>Why the call was not allowed, for the log (never sent to the caller).</summary>
    public string? Reason { get; }

    /// <summary>Let the caller in as <paramref name="principalId"/>, with <paramref name="context"/> for the integration.</summary>
    public static LambdaAuthorizerResult Allow(string principalId, IReadOnlyDictionary<string, string>? context = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(principalId);
        return new(LambdaAuthorizerDecision.Allow, principalId, context, null);
    }

    /// <summary>The caller is known but may not call the API.</summary>
    public static LambdaAuthorizerResult Deny(string principalId, string reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(principalId);
        return new(LambdaAuthorizerDecision.Deny, principalId, null, reason);
    }

    /// <summary>The call carries no valid credential (missing, malformed, expired, wrong issuer or audience).</summary>
    public static LambdaAuthorizerResult Unauthorized(string reason) => new(LambdaAuthorizerDecision.Unauthorized, null, null, reason);
}

/// <summary>See <see cref="LambdaAuthorizerResult"/>.</summary>
public enum LambdaAuthorizerDecision
{
    /// <summary>The caller may invoke the API.</summary>
    Allow,

    /// <summary>The caller is known and refused (403).</summary>
    Deny,

    /// <summary>The caller has no valid credential (REST API: 401).</summary>
    Unauthorized,
}
