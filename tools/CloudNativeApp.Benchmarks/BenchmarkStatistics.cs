namespace CloudNativeApp.Benchmarks;

/// <summary>What the benchmark modes report: medians, and builds named as their publish scripts lay them out.</summary>
internal static class BenchmarkStatistics
{
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>A build is named by the folder it was published to (cold-start.sh publishes to aot/, r2r/, ...).</summary>
    public static string BuildName(string app) => Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(app))) ?? app;
}
