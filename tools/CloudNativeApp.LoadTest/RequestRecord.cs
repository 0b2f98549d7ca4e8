namespace CloudNativeApp.LoadTest;

public enum Operation
{
    Create,
    Read,
    List,
    Replace,
    Patch,
    Delete,
    Resync,
}

/// <summary>What the client expected the response to be, so the report can tell errors from normal answers.</summary>
public enum Expectation
{
    /// <summary>2xx only.</summary>
    Success,

    /// <summary>2xx, or 412/404 because an earlier unknown outcome may have changed the item.</summary>
    SuccessOrStale,
}

/// <summary>One request: when it started and ended on the run clock, and what came back (0: no HTTP response at all).</summary>
public readonly record struct RequestRecord(Operation Operation, TimeSpan Start, TimeSpan Duration, int Status, Expectation Expectation)
{
    public const int NoResponse = 0;

    public TimeSpan End => Start + Duration;

    public bool Succeeded => Status is >= 200 and < 300;

    public bool IsExpectedStale => Expectation == Expectation.SuccessOrStale && Status is 404 or 412;
}
