using BenchmarkDotNet.Running;
using CloudNativeApp.Benchmarks;

// dotnet run -c Release --project tests/CloudNativeApp.Benchmarks -- --filter '*'
// dotnet run -c Release --project tests/CloudNativeApp.Benchmarks -- cold-start --app <published app dir> [--runs 10]
if (args is ["cold-start", .. var coldStartArgs])
{
    return await ColdStart.RunAsync(coldStartArgs);
}

BenchmarkSwitcher.FromAssembly(typeof(AdapterBenchmarks).Assembly).Run(args);
return 0;
