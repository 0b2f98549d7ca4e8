namespace CloudNativeApp.Lambda.EndToEnd.Tests;

/// <summary>The tests that run the published app (xunit wants collection definitions in the test assembly).</summary>
[CollectionDefinition(Name)]
public sealed class UsesPublishedApp : ICollectionFixture<PublishedApp>
{
    public const string Name = "Published app";
}
