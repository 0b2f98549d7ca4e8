namespace CloudNativeApp.Security;

/// <summary>What a refused bearer token is told (RFC 6750 section 3).</summary>
internal static class BearerChallenge
{
    /// <summary>
    /// <c>error="invalid_token"</c> and nothing more: the handler's description names expiry timestamps and key lookup
    /// failures, which help an attacker probe the validation and no legitimate client acts on. The log keeps them.
    /// </summary>
    public static Task WithoutDetails(JwtBearerChallengeContext context)
    {
        context.ErrorDescription = null;
        context.ErrorUri = null;
        return Task.CompletedTask;
    }

    /// <summary>The challenge for an authenticated caller whose token lacks the scope the request needs.</summary>
    public static string InsufficientScope(string scope) => $"Bearer error=\"insufficient_scope\", scope=\"{scope}\"";
}
