namespace CloudNativeApp.Benchmarks;

/// <summary>
/// Another process's CPU time to the nanosecond: the sum of its threads' scheduler run time
/// (<c>/proc/&lt;pid&gt;/task/*/schedstat</c>, first field). <see cref="System.Diagnostics.Process.TotalProcessorTime"/>
/// comes in clock ticks (10 ms), too coarse for a round of a few hundred milliseconds; a thread that exits during the
/// round takes its time with it (the runtime keeps its threads while invocations keep coming).
/// </summary>
public static class ProcessCpuTime
{
    public static TimeSpan Read(int processId)
    {
        long nanoseconds = 0;
        foreach (var task in Directory.EnumerateDirectories($"/proc/{processId}/task"))
        {
            try
            {
                var text = File.ReadAllText(Path.Combine(task, "schedstat"));
                nanoseconds += long.Parse(text.AsSpan(0, text.IndexOf(' ', StringComparison.Ordinal)), System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
                // The thread exited between listing and reading.
            }
        }

        return TimeSpan.FromTicks(nanoseconds / 100);
    }
}
