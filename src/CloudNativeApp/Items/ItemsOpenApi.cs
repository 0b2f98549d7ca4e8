using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace CloudNativeApp.Items;

/// <summary>What the items API's OpenAPI description says beyond what its endpoints' metadata and types give.</summary>
internal static class ItemsOpenApi
{
    public static void AddItemsTransformers(this OpenApiOptions options)
    {
        options.AddOperationTransformer(DescribeListLimit);
        options.AddSchemaTransformer(DescribeItemBodies);
    }

    /// <summary>
    /// <c>GET /items</c> binds <c>limit</c> as text so its validator can answer "ten" with a validation problem (the
    /// Request Delegate Generator would give a bare 400); the document still describes it as the integer it is.
    /// </summary>
    private static Task DescribeListLimit(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (operation.OperationId != "ListItems" || operation.Parameters is null)
        {
            return Task.CompletedTask;
        }

        foreach (var parameter in operation.Parameters.OfType<OpenApiParameter>().Where(parameter => parameter.Name == "limit"))
        {
            parameter.Description = $"Page size, 1–{ItemListQuery.MaxLimit} (default {ItemListQuery.DefaultLimit}).";
            parameter.Schema = new OpenApiSchema
            {
                Type = JsonSchemaType.Integer,
                Format = "int32",
                Minimum = "1",
                Maximum = ItemListQuery.MaxLimit.ToString(CultureInfo.InvariantCulture),
                Default = JsonValue.Create(ItemListQuery.DefaultLimit),
            };
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// The tag limit of <see cref="ItemRequest"/> (<c>[MaxLength]</c> on a collection would read its Count by
    /// reflection, which trimming can break), and a merge patch whose every field is optional: the constructor
    /// parameters of <see cref="ItemMergePatch"/> would otherwise all be listed as required.
    /// </summary>
    private static Task DescribeItemBodies(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        if (type == typeof(ItemRequest) && schema.Properties is { } properties && properties.TryGetValue("tags", out var tags) && tags is OpenApiSchema tagsSchema)
        {
            tagsSchema.MaxItems = ItemRules.MaxTags;
        }
        else if (type == typeof(ItemMergePatch))
        {
            schema.Required = null;
        }

        return Task.CompletedTask;
    }
}
