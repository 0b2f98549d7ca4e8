namespace CloudNativeApp.Deployment.Tests.CloudFormation;

/// <summary>The template's sections, each an empty object when absent.</summary>
internal sealed class TemplateContext(JsonObject template)
{
    public JsonObject Template { get; } = template;

    public JsonObject Parameters { get; } = template[nameof(Parameters)] as JsonObject ?? [];

    public JsonObject Conditions { get; } = template[nameof(Conditions)] as JsonObject ?? [];

    public JsonObject Resources { get; } = template[nameof(Resources)] as JsonObject ?? [];

    public JsonObject Outputs { get; } = template[nameof(Outputs)] as JsonObject ?? [];

    public JsonObject Globals { get; } = template[nameof(Globals)] as JsonObject ?? [];
}
