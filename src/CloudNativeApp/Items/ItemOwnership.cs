using CloudNativeApp.Items.Storage;
using CloudNativeApp.Security;
using Microsoft.Extensions.Options;

namespace CloudNativeApp.Items;

/// <summary>
/// <c>Auth:OwnerWrites</c>: only an item's creator (its <c>createdBy</c>) may replace, patch or delete it. Checked before
/// the write on the item as stored, at the cost of one more read per write while it is on. <c>createdBy</c> never
/// changes, so a write racing the check cannot change who owns the item; an item without one (created while auth was
/// off) has no owner and stays unchangeable.
/// </summary>
internal static class ItemOwnership
{
    public static RouteGroupBuilder RequireOwnerForChanges(this RouteGroupBuilder group)
    {
        group.AddEndpointFilterFactory((endpoint, next) =>
            endpoint.ApplicationServices.GetRequiredService<IOptions<AuthOptions>>().Value.OwnerWrites
                ? invocation => RefuseOthersAsync(invocation, next)
                : next);
        return group;
    }

    private static async ValueTask<object?> RefuseOthersAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        var method = context.Request.Method;
        if ((HttpMethods.IsPut(method) || HttpMethods.IsPatch(method) || HttpMethods.IsDelete(method))
            && context.GetRouteValue("id") is string id && ItemRules.IsItemId(id)
            && await context.RequestServices.GetRequiredService<IItemRepository>().FindAsync(id, context.RequestAborted) is { } item
            && (item.CreatedBy is null || item.CreatedBy != CallerIdentity.Of(context.User)?.Name))
        {
            return ItemProblems.NotOwner();
        }

        return await next(invocation);
    }
}
