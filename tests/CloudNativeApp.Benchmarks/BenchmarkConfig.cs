using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace CloudNativeApp.Benchmarks;

/// <summary>
/// A short but steady run: in process (no generated project to build), a few warmups, 15 iterations. The machine
/// is shared, so the minimum and median are reported beside the mean.
/// </summary>
public sealed class BenchmarkConfig : ManualConfig
{
    public BenchmarkConfig()
    {
        AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(5)
            .WithIterationCount(15)
            .WithId("Short"));
        AddColumn(StatisticColumn.Min, StatisticColumn.Median, StatisticColumn.P95);
    }
}
