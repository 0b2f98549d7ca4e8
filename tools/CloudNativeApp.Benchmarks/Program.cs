using BenchmarkDotNet.Running;
using CloudNativeApp.Benchmarks;

// dotnet run -c Release --project tools/CloudNativeApp.Benchmarks -- --filter '*'
// dotnet run -c Release --project tools/CloudNativeApp.Benchmarks -- cold-start --app <bootstrap or .dll> [--app <another>]... [--rounds 1] [--runs 10] [--invocations 300]
// dotnet run -c Release --project tools/CloudNativeApp.Benchmarks -- warm --app <bootstrap> [--app <bootstrap>]... [--invocations 2000]
// dotnet run -c Release --project tools/CloudNativeApp.Benchmarks -- export-ttfb --app <bootstrap> [--items 1000,2000,3200] [--runs 5]
// dotnet run -c Release --project tools/CloudNativeApp.Benchmarks -- concurrency --app <bootstrap> [--levels 1,8,32] [--seconds 5]
// dotnet run -c Release --project tools/CloudNativeApp.Benchmarks -- snapstart --app <bootstrap> [--app <another>]... [--rounds 5]
// dotnet run -c Release --project tools/CloudNativeApp.Benchmarks -- observability --app <bootstrap> [--cold-runs 10] [--invocations 2000] [--rounds 3]
if (args is ["cold-start", .. var coldStartArgs])
{
    return await ColdStart.RunAsync(coldStartArgs);
}

if (args is ["concurrency", .. var concurrencyArgs])
{
    return await ConcurrentThroughput.RunAsync(concurrencyArgs);
}

if (args is ["snapstart", .. var snapStartArgs])
{
    return await SnapStartFirstRead.RunAsync(snapStartArgs);
}

if (args is ["warm", .. var warmArgs])
{
    return await WarmInvocations.RunAsync(warmArgs);
}

if (args is ["observability", .. var observabilityArgs])
{
    return await ObservabilityOverhead.RunAsync(observabilityArgs);
}

if (args is ["export-ttfb", .. var exportArgs])
{
    return await ExportTimeToFirstByte.RunAsync(exportArgs);
}

BenchmarkSwitcher.FromAssembly(typeof(AdapterBenchmarks).Assembly).Run(args);
return 0;
