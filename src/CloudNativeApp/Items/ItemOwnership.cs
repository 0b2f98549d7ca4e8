namespace CloudNativeApp.Items;

/// <summary>
/// <c>Auth:OwnerWrites</c> as one write request sees it: whether its caller may change a given item. While it is on,
/// only an item's creator (its <c>createdBy</c>) may replace, patch or delete it; an item without one (created while
/// auth was off) has no owner and stays unchangeable. <see cref="ConditionalItemWrite"/> asks on the item it read for
/// the write, so the decision is about the very version the write is conditional on, and costs no read of its own.
/// </summary>
/// <remarks>
/// Bound by the handlers as a parameter (<see cref="BindAsync"/>) rather than resolved from the request in each of
/// them, and it adds nothing to the API description.
/// </remarks>
public sealed class ItemOwnership
{
    /// <summary><c>Auth:OwnerWrites</c> is off: anyone allowed to write may change any item.</summary>
    internal static readonly ItemOwnership NotRequired = new(ownerRequired: false, caller: null);

    private readonly bool _ownerRequired;
    private readonly string? _caller;

    private ItemOwnership(bool ownerRequired, string? caller)
    {
        _ownerRequired = ownerRequired;
        _caller = caller;
    }

    public static ValueTask<ItemOwnership?> BindAsync(HttpContext context) =>
        ValueTask.FromResult<ItemOwnership?>(context.RequestServices.GetRequiredService<IOptions<AuthOptions>>().Value.OwnerWrites
            ? new ItemOwnership(ownerRequired: true, CallerIdentity.Of(context.User)?.Name)
            : NotRequired);

    /// <summary>Whether this request's caller may change <paramref name="current"/>.</summary>
    internal bool Permits(Item current) => !_ownerRequired || (current.CreatedBy is not null && current.CreatedBy == _caller);
}
