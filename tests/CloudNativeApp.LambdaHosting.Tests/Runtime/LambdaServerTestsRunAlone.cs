namespace CloudNativeApp.LambdaHosting.Tests.Runtime;

/// <summary>
/// The Lambda server tests that read and write the process-wide <c>_X_AMZN_TRACE_ID</c> and that time how soon a
/// worker polls again. They run alone: on a 2-core machine, other test classes running beside them stretched the
/// timed ones past their bounds (the Managed Instances starvation test failed 2 of 6 project runs).
/// </summary>
[CollectionDefinition(nameof(LambdaServerTests), DisableParallelization = true)]
public sealed class LambdaServerTestsRunAlone;
