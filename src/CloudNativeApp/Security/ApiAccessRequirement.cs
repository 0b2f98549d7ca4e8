using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

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

        return Task.CompletedTask;
    }

    private static bool HasWriteScope(System.Security.Claims.ClaimsPrincipal user, string? scope) =>
        string.IsNullOrEmpty(scope)
        || user.FindAll(claim => claim.Type is "scope" or "scp" or "http://schemas.microsoft.com/identity/claims/scope")
            .SelectMany(claim => claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Contains(scope, StringComparer.Ordinal);
}
