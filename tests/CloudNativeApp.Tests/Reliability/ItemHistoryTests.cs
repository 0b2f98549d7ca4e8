namespace CloudNativeApp.Tests.Reliability;

/// <summary>How the load test judges a read-back: only acknowledged writes are promises; unknown outcomes may go either way.</summary>
public sealed class ItemHistoryTests
{
    private static readonly DateTimeOffset Created = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_last_acknowledged_state_is_what_a_read_back_must_find()
    {
        var history = new ItemHistory(State(version: 1, name: "a"));
        history.Acknowledge(State(version: 2, name: "b"));

        Assert.Null(history.Explain(State(version: 2, name: "b")));
        Assert.NotNull(history.Explain(State(version: 1, name: "a"))); // the acknowledged update was lost
        Assert.NotNull(history.Explain(State(version: 2, name: "c"))); // same version, other content
        Assert.NotNull(history.Explain(null)); // the item was lost
    }

    [Fact]
    public void An_acknowledged_delete_must_stay_deleted()
    {
        var history = new ItemHistory(State(version: 1, name: "a"));
        history.AcknowledgeDelete();

        Assert.Null(history.Explain(null));
        Assert.NotNull(history.Explain(State(version: 1, name: "a")));
    }

    [Fact]
    public void An_update_with_an_unknown_outcome_may_or_may_not_have_happened()
    {
        var history = new ItemHistory(State(version: 1, name: "a"));
        history.RecordUnknown(new UnknownWrite(WriteKind.Update, State(version: 0, name: "b").Content, BaseVersion: 1));

        Assert.True(history.NeedsResync);
        Assert.Null(history.Explain(State(version: 1, name: "a")));
        Assert.Null(history.Explain(State(version: 2, name: "b")));
        Assert.NotNull(history.Explain(State(version: 2, name: "z"))); // content nobody ever wrote
        Assert.NotNull(history.Explain(null)); // an update cannot delete
    }

    [Fact]
    public void A_delete_with_an_unknown_outcome_explains_a_missing_item()
    {
        var history = new ItemHistory(State(version: 1, name: "a"));
        history.RecordUnknown(new UnknownWrite(WriteKind.Delete, null, BaseVersion: 1));

        Assert.Null(history.Explain(null));
        Assert.Null(history.Explain(State(version: 1, name: "a")));
    }

    [Fact]
    public void A_later_acknowledgement_settles_earlier_unknown_outcomes()
    {
        var history = new ItemHistory(State(version: 1, name: "a"));
        history.RecordUnknown(new UnknownWrite(WriteKind.Delete, null, BaseVersion: 1));
        history.Resynced(State(version: 1, name: "a"));
        history.Acknowledge(State(version: 2, name: "b"));

        Assert.Empty(history.UnknownSinceLastAck);
        Assert.NotNull(history.Explain(null));
        Assert.Null(history.Explain(State(version: 2, name: "b")));
    }

    [Fact]
    public void Tags_are_compared_as_a_set_and_timestamps_to_the_millisecond()
    {
        var acknowledged = State(version: 3, name: "a") with { Tags = ["x", "y"], UpdatedAt = Created.AddTicks(1234) };
        var history = new ItemHistory(acknowledged);

        Assert.Null(history.Explain(acknowledged with { Tags = ["y", "x"], UpdatedAt = Created }));
        Assert.NotNull(history.Explain(acknowledged with { Tags = ["x"] }));
    }

    private static ItemState State(long version, string name) => new()
    {
        Id = "item-1",
        Name = name,
        Category = "general",
        Tags = [],
        CreatedAt = Created,
        UpdatedAt = Created,
        Version = version,
    };
}
