namespace CloudNativeApp.Tests.Reliability;

/// <summary>
/// The corpus and load tests each start a real server (and dynalite) and measure latency: running them one at a
/// time keeps them from competing for the CI machine's two cores and skewing each other's numbers.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ReliabilityTests
{
    public const string Name = "Reliability";
}
