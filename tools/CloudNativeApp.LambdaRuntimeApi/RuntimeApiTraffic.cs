namespace CloudNativeApp.LambdaRuntimeApi;

/// <summary>
/// What the function does on the wire, per TCP connection, for tests of its polling: how many <c>/next</c> polls were
/// pending at most at once, the longest time a connection took to poll again after posting a result (a runtime
/// whose pollers starve is slow here), and, with SnapStart, requests on connections that were open before the
/// restore (a socket from the snapshot reused).
/// </summary>
internal sealed class RuntimeApiTraffic
{
    private readonly ConcurrentDictionary<string, long> lastPostByConnection = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> connectionsBeforeRestore = new(StringComparer.Ordinal);
    private readonly Lock gate = new();
    private int polling;
    private int mostPolling;
    private long longestRepollTicks;
    private int requestsOnSnapshotConnections;
    private int pollsBeforeRestore;
    private volatile bool restored;

    public int MostConcurrentPolls => Volatile.Read(ref mostPolling);

    public TimeSpan LongestRepollGap => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref longestRepollTicks));

    public int RequestsOnSnapshotConnections => Volatile.Read(ref requestsOnSnapshotConnections);

    public int PollsBeforeRestore => Volatile.Read(ref pollsBeforeRestore);

    /// <summary>From now on a request on a connection seen so far counts as reusing a socket from the snapshot.</summary>
    public void MarkRestored() => restored = true;

    public async Task TrackAsync(HttpContext context, RequestDelegate next, bool snapStart)
    {
        var connection = context.Connection.Id;
        var path = context.Request.Path.Value ?? "";
        if (snapStart)
        {
            if (!restored)
            {
                connectionsBeforeRestore[connection] = true;
            }
            else if (connectionsBeforeRestore.ContainsKey(connection))
            {
                Interlocked.Increment(ref requestsOnSnapshotConnections);
            }
        }

        if (!path.EndsWith("/invocation/next", StringComparison.Ordinal))
        {
            await next(context);
            if (path.EndsWith("/response", StringComparison.Ordinal) || path.EndsWith("/error", StringComparison.Ordinal))
            {
                lastPostByConnection[connection] = Stopwatch.GetTimestamp();
            }

            return;
        }

        if (snapStart && !restored)
        {
            Interlocked.Increment(ref pollsBeforeRestore);
        }

        if (lastPostByConnection.TryRemove(connection, out var posted))
        {
            var gap = Stopwatch.GetTimestamp() - posted;
            lock (gate)
            {
                longestRepollTicks = Math.Max(longestRepollTicks, gap);
            }
        }

        lock (gate)
        {
            mostPolling = Math.Max(mostPolling, ++polling);
        }

        try
        {
            await next(context);
        }
        finally
        {
            lock (gate)
            {
                polling--;
            }
        }
    }
}
