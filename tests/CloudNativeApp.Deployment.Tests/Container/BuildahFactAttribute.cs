using Xunit.Abstractions;
using Xunit.Sdk;

namespace CloudNativeApp.Deployment.Tests.Container;

/// <summary>A fact that is skipped, saying why, on a machine without buildah.</summary>
[XunitTestCaseDiscoverer("CloudNativeApp.Deployment.Tests.Container.BuildahFactDiscoverer", "CloudNativeApp.Deployment.Tests")]
public sealed class BuildahFactAttribute : FactAttribute
{
    public BuildahFactAttribute()
    {
        if (Buildah.MissingReason is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>
/// Puts the skip reason into the test's name, since most reports list a skipped test by name only: the console
/// ("Skipped &lt;name&gt;", the reason only at <c>--logger "console;verbosity=normal"</c>), trx files and IDEs.
/// "[SKIP]" alone does not say that buildah is missing.
/// </summary>
public sealed class BuildahFactDiscoverer(IMessageSink diagnosticMessageSink) : FactDiscoverer(diagnosticMessageSink)
{
    protected override IXunitTestCase CreateTestCase(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute) =>
        Buildah.MissingReason is null
            ? base.CreateTestCase(discoveryOptions, testMethod, factAttribute)
            : new SkippedTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod);
}

/// <summary>A test case whose display name ends with why it is skipped.</summary>
public sealed class SkippedTestCase : XunitTestCase
{
    [Obsolete("For deserialization by the test runner only.")]
    public SkippedTestCase()
    {
    }

    public SkippedTestCase(IMessageSink diagnosticMessageSink, TestMethodDisplay methodDisplay, TestMethodDisplayOptions methodDisplayOptions, ITestMethod testMethod)
        : base(diagnosticMessageSink, methodDisplay, methodDisplayOptions, testMethod)
    {
    }

    protected override void Initialize()
    {
        base.Initialize();
        DisplayName = $"{DisplayName} (skipped: {SkipReason})";
    }
}
