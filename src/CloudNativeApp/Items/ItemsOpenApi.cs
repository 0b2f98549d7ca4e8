using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace CloudNativeApp.Items;

/// <summary>
/// <c>GET /items</c> binds <c>limit</c> as text so its validator can answer "ten" with a validation problem (the
/// Request Delegate Generator would give a bare 400); the document still describes it as the integer it is.
/// </summary>
internal sealed class ListItemsLimitParameter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (operation.OperationId != "ListItems" || operation.Parameters is null)
        {
            return;
        }

        foreach (var parameter in operation.Parameters.OfType<OpenApiParameter>().Where(parameter => parameter.Name == "limit"))
        {
            parameter.Description = $"Page size, 1–{ItemListQuery.MaxLimit} (default {ItemListQuery.DefaultLimit}).";
            parameter.Schema = new OpenApiSchema
            {
                Type = JsonSchemaType.Integer,
                Format = "int32",
                Minimum = "1",
                Maximum = ItemListQuery.MaxLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Default = System.Text.Json.Nodes.JsonValue.Create(ItemListQuery.DefaultLimit),
            };
        }
    }
}
