using System.Threading.RateLimiting;

namespace CloudNativeApp.Security;

/// <summary>
/// A fixed window per partition, aligned to the clock (every window starts at a multiple of its length), so the time a
/// refused caller must wait is exact: the end of the current window. The framework's FixedWindowRateLimiter only
/// reports the whole window length as its Retry-After, whatever part of it is left.
/// </summary>
internal sealed class FixedWindowLimiter(int permitLimit, TimeSpan window, TimeProvider clock, Func<HttpContext, string?> partition)
    : PartitionedRateLimiter<HttpContext>
{
    private readonly ConcurrentDictionary<string, Counter> _counters = new(StringComparer.Ordinal);
    private long _sweptWindow;

    protected override RateLimitLease AttemptAcquireCore(HttpContext resource, int permitCount)
    {
        if (partition(resource) is not { } key)
        {
            return Lease.Acquired;
        }

        var now = clock.GetUtcNow().UtcTicks;
        var current = now / window.Ticks;
        SweepEndedWindows(current);
        var counter = _counters.GetOrAdd(key, static _ => new Counter());
        lock (counter)
        {
            if (counter.Window != current)
            {
                counter.Window = current;
                counter.Used = 0;
            }

            if (counter.Used + permitCount <= permitLimit)
            {
                counter.Used += permitCount;
                return Lease.Acquired;
            }
        }

        return new Lease(TimeSpan.FromTicks(((current + 1) * window.Ticks) - now));
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(HttpContext resource, int permitCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AttemptAcquireCore(resource, permitCount)); // no queue: over the limit is refused at once

    public override RateLimiterStatistics? GetStatistics(HttpContext resource) => null;

    /// <summary>
    /// Forgets the callers of past windows once per window, so memory holds only the current window's callers. A request
    /// racing the sweep may count on a counter just removed: at worst one extra permit for that caller at a window's start.
    /// </summary>
    private void SweepEndedWindows(long current)
    {
        var swept = Interlocked.Read(ref _sweptWindow);
        if (swept == current || Interlocked.CompareExchange(ref _sweptWindow, current, swept) != swept)
        {
            return;
        }

        foreach (var (key, counter) in _counters)
        {
            if (Volatile.Read(ref counter.Window) < current)
            {
                _counters.TryRemove(new KeyValuePair<string, Counter>(key, counter));
            }
        }
    }

    private sealed class Counter
    {
        public long Window;
        public int Used;
    }

    private sealed class Lease(TimeSpan? retryAfter) : RateLimitLease
    {
        public static readonly Lease Acquired = new(null);

        public override bool IsAcquired => retryAfter is null;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = retryAfter;
            return retryAfter is not null && metadataName == MetadataName.RetryAfter.Name;
        }
    }
}
