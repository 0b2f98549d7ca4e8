using FluentValidation.Results;

namespace CloudNativeApp.Items;

/// <summary>What a conditional write of an item came to.</summary>
internal abstract record ItemWriteResult
{
    private ItemWriteResult()
    {
    }

    /// <summary>Written: the item as stored, or as it was when removed.</summary>
    public sealed record Written(Item Item) : ItemWriteResult;

    /// <summary>There is no such item, or it has expired.</summary>
    public sealed record NotFound : ItemWriteResult;

    /// <summary>The caller may not change the item (<c>Auth:OwnerWrites</c>: it is not the item's creator).</summary>
    public sealed record NotOwner : ItemWriteResult;

    /// <summary>If-Match names versions other than the one the item is at now.</summary>
    public sealed record StalePrecondition(int CurrentVersion) : ItemWriteResult;

    /// <summary>If-None-Match names the version the item is at now (<c>*</c>: any), so the write must not happen.</summary>
    public sealed record NoneMatchFailed(int CurrentVersion) : ItemWriteResult;

    /// <summary>Every attempt lost a race with another write.</summary>
    public sealed record Contention : ItemWriteResult;

    /// <summary>The change cannot be made to the item as it is now (a merge patch that does not leave a valid item).</summary>
    public sealed record Refused(ValidationResult Validation) : ItemWriteResult;
}

/// <summary>The item a change makes of the current one, or why it cannot be made.</summary>
internal readonly record struct ItemChange(Item? Changed, ValidationResult? Refusal)
{
    public static implicit operator ItemChange(Item changed) => new(changed, null);

    public static implicit operator ItemChange(ValidationResult refusal) => new(null, refusal);
}

/// <summary>
/// Read, check ownership and If-Match, change, and write conditionally on the version read: one read per attempt,
/// and every check is about the version written. A lost race re-reads, so If-Match then fails as stale, ownership is
/// checked again, and an unconditional change is re-applied to the newer item, never lost.
/// </summary>
internal static class ConditionalItemWrite
{
    // Without If-Match a write that loses a race re-reads and re-applies; this bounds a pathological hot spot.
    private const int MaxAttempts = 10;

    /// <param name="ifNoneMatch">Tags of an If-None-Match header: the write is refused when one names the current version.</param>
    public static Task<ItemWriteResult> ReplaceAsync(
        IItemRepository repository,
        string id,
        ItemOwnership ownership,
        IfMatch? precondition,
        IfMatch? ifNoneMatch,
        Func<Item, ItemChange> change,
        CancellationToken cancellationToken) =>
        WriteAsync(repository, id, ownership, precondition, ifNoneMatch, async current =>
        {
            var outcome = change(current);
            if (outcome.Refusal is { } refusal)
            {
                return new ItemWriteResult.Refused(refusal);
            }

            return await repository.ReplaceAsync(outcome.Changed!, cancellationToken) is { } stored ? new ItemWriteResult.Written(stored) : null;
        }, cancellationToken);

    public static Task<ItemWriteResult> RemoveAsync(
        IItemRepository repository, string id, ItemOwnership ownership, IfMatch? precondition, CancellationToken cancellationToken) =>
        WriteAsync(repository, id, ownership, precondition, null, async current =>
            await repository.RemoveAsync(id, current.Version, cancellationToken) ? new ItemWriteResult.Written(current) : null,
            cancellationToken);

    /// <param name="tryWrite">Writes conditionally on the current item's version: what it came to, or null when it lost a race.</param>
    private static async Task<ItemWriteResult> WriteAsync(
        IItemRepository repository,
        string id,
        ItemOwnership ownership,
        IfMatch? precondition,
        IfMatch? ifNoneMatch,
        Func<Item, Task<ItemWriteResult?>> tryWrite,
        CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            if (!ItemRules.IsItemId(id) || await repository.FindAsync(id, cancellationToken) is not { } current)
            {
                return new ItemWriteResult.NotFound();
            }

            // Before the preconditions: a 412 would tell another caller the item's current ETag.
            if (!ownership.Permits(current))
            {
                return new ItemWriteResult.NotOwner();
            }

            if (precondition is not null && !precondition.Matches(current.Version))
            {
                return new ItemWriteResult.StalePrecondition(current.Version);
            }

            if (ifNoneMatch is not null && ifNoneMatch.Matches(current.Version))
            {
                return new ItemWriteResult.NoneMatchFailed(current.Version);
            }

            if (await tryWrite(current) is { } result)
            {
                return result;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20) * attempt), cancellationToken);
        }

        return new ItemWriteResult.Contention();
    }
}
