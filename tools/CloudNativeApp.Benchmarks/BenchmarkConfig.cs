using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace CloudNativeApp.Benchmarks;

/// <summary>
/// A short but steady run: in process (no generated project to build), a few warmups, 15 iterations, timed twice:
/// by the wall clock, and by the benchmark thread's CPU time (<see cref="ThreadCpuClock"/>), which other processes
/// on a shared machine cannot inflate. The minimum and median are reported beside the mean.
/// </summary>
public sealed class BenchmarkConfig : ManualConfig
{
    public BenchmarkConfig()
    {
        var job = Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(20) // the first benchmark in the process otherwise measures tiered JIT still optimising
            .WithIterationCount(15);
        AddJob(job.WithId("WallClock"));
        if (ThreadCpuClock.Instance.IsAvailable)
        {
            AddJob(job.WithClock(ThreadCpuClock.Instance).WithId("ThreadCpu"));
        }
        AddColumn(StatisticColumn.Min, StatisticColumn.Median, StatisticColumn.P95);
        HideColumns("Clock");
    }
}
