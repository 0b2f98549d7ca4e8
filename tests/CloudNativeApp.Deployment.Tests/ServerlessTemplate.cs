namespace CloudNativeApp.Deployment.Tests;

/// <summary>The repository's serverless.template.</summary>
public static class ServerlessTemplate
{
    public static string Path => RepositoryRoot.Resolve("serverless.template");

    /// <summary>A fresh, mutable copy.</summary>
    public static JsonObject LoadJson() =>
        JsonNode.Parse(File.ReadAllText(Path)) as JsonObject ?? throw new InvalidDataException("serverless.template is not a JSON object.");
}
