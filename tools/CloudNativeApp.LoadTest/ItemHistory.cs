namespace CloudNativeApp.LoadTest;

public enum WriteKind
{
    Update,
    Delete,
}

/// <summary>A write whose response never said yes or no (503, timeout, dropped connection): it may or may not have happened.</summary>
public sealed record UnknownWrite(WriteKind Kind, ItemContent? Content, long BaseVersion);

/// <summary>
/// What one client knows about one of its items: the last state the API acknowledged, and the writes since then
/// whose outcome is unknown. Only acknowledged writes are promises; unknown ones are allowed to have happened or not.
/// </summary>
public sealed class ItemHistory(ItemState created)
{
    private readonly List<UnknownWrite> unknownSinceLastAck = [];

    public string Id { get; } = created.Id;

    /// <summary>The state of the last acknowledged create, PUT or PATCH.</summary>
    public ItemState LastAcknowledged { get; private set; } = created;

    public bool DeleteAcknowledged { get; private set; }

    public int AcknowledgedWrites { get; private set; } = 1;

    /// <summary>What the next write builds on and sends in If-Match: the acknowledged state, or the one read after an unknown outcome.</summary>
    public ItemState Current { get; private set; } = created;

    /// <summary>Set after an unknown outcome: the client re-reads the item before it writes again.</summary>
    public bool NeedsResync { get; private set; }

    /// <summary>A resync found the item gone, which only an unknown delete may explain.</summary>
    public bool ObservedGone { get; private set; }

    public IReadOnlyList<UnknownWrite> UnknownSinceLastAck => unknownSinceLastAck;

    public bool IsLive => !DeleteAcknowledged && !ObservedGone;

    public void Acknowledge(ItemState state)
    {
        LastAcknowledged = state;
        Current = state;
        AcknowledgedWrites++;
        unknownSinceLastAck.Clear();
        NeedsResync = false;
    }

    public void AcknowledgeDelete()
    {
        DeleteAcknowledged = true;
        AcknowledgedWrites++;
        unknownSinceLastAck.Clear();
    }

    public void RecordUnknown(UnknownWrite write)
    {
        unknownSinceLastAck.Add(write);
        NeedsResync = true;
    }

    /// <summary>A stale If-Match (412) after an unknown outcome: read again before the next write.</summary>
    public void MarkStale() => NeedsResync = true;

    public void Resynced(ItemState? observed)
    {
        NeedsResync = false;
        if (observed is null)
        {
            ObservedGone = true;
        }
        else
        {
            Current = observed;
        }
    }

    /// <summary>
    /// Null when <paramref name="stored"/> (null: 404) is a state the acknowledged history allows; otherwise why it is a lost write.
    /// </summary>
    public string? Explain(ItemState? stored)
    {
        if (DeleteAcknowledged)
        {
            return stored is null ? null : $"deleted (acknowledged) but still readable as {stored}";
        }

        if (stored is null)
        {
            return unknownSinceLastAck.Any(write => write.Kind == WriteKind.Delete)
                ? null
                : $"missing; last acknowledged state was {LastAcknowledged}";
        }

        if (stored.SameStoredStateAs(LastAcknowledged))
        {
            return null;
        }

        var explainedByUnknownWrite = unknownSinceLastAck.Any(write =>
            write is { Kind: WriteKind.Update, Content: { } content } && stored.Version > LastAcknowledged.Version && stored.SameContentAs(content));
        return explainedByUnknownWrite
            ? null
            : $"stored {stored} but last acknowledged state was {LastAcknowledged}";
    }
}
