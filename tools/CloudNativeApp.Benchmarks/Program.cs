using BenchmarkDotNet.Running;
using CloudNativeApp.Benchmarks;

// dotnet run -c Release --project tools/CloudNativeApp.Benchmarks -- --filter '*'
// dotnet run -c Release --project tools/CloudNativeApp.Benchmarks -- cold-start --app <bootstrap or .dll> [--app <another>]... [--rounds 1] [--runs 10] [--invocations 300]
// dotnet run -c Release --project tools/CloudNativeApp.Benchmarks -- warm --app <bootstrap> [--app <bootstrap>]... [--invocations 2000]
// dotnet run -c Release --project tools/CloudNativeApp.Benchmarks -- export-ttfb --app <bootstrap> [--items 1000,2000,3200] [--runs 5]
// dotnet run -c Release --project tools/CloudNativeApp.Benchmarks -- concurrency --app <bootstrap> [--levels 1,8,32] [--seconds 5]
// dotnet run -c Release --project tools/CloudNativeApp.Benchmarks -- snapstart --app <bootstrap> [--app <another>]... [--rounds 5]
// dotnet run -c Release --project tools/CloudNativeApp.Benchmarks -- observability --app <bootstrap> [--cold-runs 10] [--invocations 2000] [--rounds 3] [--route calculator|item]
var modes = new Dictionary<string, Func<string[], Task<int>>>(StringComparer.Ordinal)
{
    ["cold-start"] = ColdStart.RunAsync,
    ["concurrency"] = ConcurrentThroughput.RunAsync,
    ["snapstart"] = SnapStartFirstRead.RunAsync,
    ["warm"] = WarmInvocations.RunAsync,
    ["observability"] = ObservabilityOverhead.RunAsync,
    ["export-ttfb"] = ExportTimeToFirstByte.RunAsync,
};
if (args is [var mode, .. var modeArgs] && modes.TryGetValue(mode, out var runMode))
{
    return await runMode(modeArgs);
}

// Anything else is BenchmarkDotNet's command line (the in-process adapter benchmarks).
BenchmarkSwitcher.FromAssembly(typeof(AdapterBenchmarks).Assembly).Run(args);
return 0;
