using Microsoft.AspNetCore.Authorization.Policy;

namespace CloudNativeApp.Security;

/// <summary>Reads may be anonymous (by configuration); writes need an authenticated user, and the write scope if one is configured.</summary>
internal sealed class ApiAccessRequirement : IAuthorizationRequirement;

internal sealed class ApiAccessHandler(IOptions<AuthOptions> options) : AuthorizationHandler<ApiAccessRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ApiAccessRequirement requirement)
    {
        var settings = options.Value;
        var method = (context.Resource as HttpContext)?.Request.Method ?? HttpMethods.Post;
        var isRead = HttpMethods.IsGet(method) || HttpMethods.IsHead(method);

        if (settings.Mode == AuthMode.None
            || (isRead && settings.AllowAnonymousReads)
            || (context.User.Identity?.IsAuthenticated == true && (isRead || HasWriteScope(context.User, settings.WriteScope))))
        {
            context.Succeed(requirement);
        }
        else if (context.User.Identity?.IsAuthenticated == true)
        {
            context.Fail(new MissingScope(this, settings.WriteScope!));
        }

        return Task.CompletedTask;
    }

    private static bool HasWriteScope(ClaimsPrincipal user, string? scope) =>
        string.IsNullOrEmpty(scope)
        || user.FindAll(claim => claim.Type is "scope" or "scp" or "http://schemas.microsoft.com/identity/claims/scope")
            .SelectMany(claim => claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Contains(scope, StringComparer.Ordinal);
}

/// <summary>An authenticated caller was refused because its token lacks <see cref="Scope"/>.</summary>
internal sealed class MissingScope(IAuthorizationHandler handler, string scope) : AuthorizationFailureReason(handler, $"The token lacks the scope {scope}.")
{
    public string Scope { get; } = scope;
}

/// <summary>
/// A 403 for a missing scope says so in <c>WWW-Authenticate</c> (RFC 6750 section 3.1), in every auth mode, so a client
/// knows to ask for a token with that scope rather than retry; the scheme still answers the 403 itself.
/// </summary>
internal sealed class InsufficientScopeChallenge : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden
            && authorizeResult.AuthorizationFailure?.FailureReasons.OfType<MissingScope>().FirstOrDefault() is { } missing)
        {
            context.Response.Headers.WWWAuthenticate = BearerChallenge.InsufficientScope(missing.Scope);
        }

        return _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
