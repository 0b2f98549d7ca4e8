namespace CloudNativeApp.Items;

/// <summary>
/// What the items API's OpenAPI description says beyond what its endpoints' metadata and types give: the field rules
/// of <see cref="ItemRules"/> as schema limits (so a generated client can check a body before sending it), the
/// conditional-request and idempotency headers, and the response headers.
/// </summary>
internal static class ItemsOpenApi
{
    private const string ETagHeader = "ETag";

    public static void AddItemsTransformers(this OpenApiOptions options)
    {
        options.AddOperationTransformer(DescribeOperation);
        options.AddSchemaTransformer(DescribeItemBodies);
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.DescribeTag("Items", "Items with optimistic concurrency (ETag, If-Match), idempotent creation and expiry.");
            return Task.CompletedTask;
        });
    }

    private static Task DescribeOperation(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (operation.OperationId is not ("CreateItem" or "GetItem" or "ListItems" or "ExportItems" or "ReplaceItem" or "PatchItem" or "DeleteItem"))
        {
            return Task.CompletedTask;
        }

        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
        {
            DescribeParameter(parameter, operation.OperationId);
        }

        if (operation.OperationId is "CreateItem" or "GetItem" or "ReplaceItem" or "PatchItem")
        {
            operation.AddResponseHeader(ETagHeader, "The item's version as a strong entity tag, for If-Match and If-None-Match.", ETagSchema(), "200", "201", "304");
        }

        operation.AddResponseHeader("Location", "Where the new item is: /items/{id}.", new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 100 }, "201");
        operation.AddResponseHeader("Retry-After", "Seconds to wait before retrying (Items:RetryAfterSeconds).", OpenApiDescriptions.RetryAfterSchema(), "503");
        return Task.CompletedTask;
    }

    private static void DescribeParameter(OpenApiParameter parameter, string operationId)
    {
        switch (parameter.Name)
        {
            case "id":
                parameter.Description = "The item's id (server-generated); any other text is a 404.";
                parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = 64 };
                break;
            case "category":
                parameter.Description = "Only items of this category.";
                parameter.Schema = CategorySchema();
                break;
            case "limit":
                // Bound as text so its validator can answer "ten" with a validation problem (the Request Delegate
                // Generator would give a bare 400); the document describes the integer it is.
                parameter.Description = $"Page size, 1–{ItemListQuery.MaxLimit} (default {ItemListQuery.DefaultLimit}).";
                parameter.Schema = new OpenApiSchema
                {
                    Type = JsonSchemaType.Integer,
                    Format = "int32",
                    Minimum = "1",
                    Maximum = ItemListQuery.MaxLimit.ToString(CultureInfo.InvariantCulture),
                    Default = JsonValue.Create(ItemListQuery.DefaultLimit),
                };
                break;
            case "nextToken":
                parameter.Description = "The nextToken of the previous page, as given (opaque).";
                parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = PageToken.MaxTokenLength };
                break;
            case IdempotentCreation.HeaderName:
                parameter.Description =
                    "Makes the creation safe to retry: a repeat with the same key and body returns the first response (the same item), "
                    + "the same key with another body is a 422. Keys are per caller and kept for a day.";
                parameter.Schema = new OpenApiSchema
                {
                    Type = JsonSchemaType.String, MinLength = 1, MaxLength = IdempotentCreation.MaxKeyLength, Pattern = "^[!-~]+$",
                };
                break;
            case "If-Match":
                parameter.Description = "* or a list of the item's entity tags (\"3\", from ETag): the write happens only if the item is at one of them, else 412.";
                parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1 };
                break;
            case "If-None-Match" when operationId == "GetItem":
                parameter.Description = "Entity tags from earlier responses (weak comparison): 304 with no body when the item is still at one of them.";
                parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1 };
                break;
            case "If-None-Match":
                parameter.Description =
                    "* makes the replacement create-only, which PUT never is (ids are the server's): 412 when the item exists, 404 when not. "
                    + "A list of entity tags: 412 when the item is at one of them.";
                parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1 };
                break;
        }
    }

    /// <summary>
    /// The limits of <see cref="ItemRules"/> on the bodies (<c>[MaxLength]</c> on a collection would read its Count by
    /// reflection, which trimming can break), a merge patch whose every field is optional and whose name cannot be
    /// null (constructor parameters would otherwise all be listed as required), and the item as returned.
    /// </summary>
    private static Task DescribeItemBodies(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        if (schema.Properties is not { } properties)
        {
            return Task.CompletedTask;
        }

        if (type == typeof(ItemRequest) || type == typeof(ItemMergePatch) || type == typeof(Item))
        {
            Describe(properties, "name", name => (name.MinLength, name.MaxLength) = (1, ItemRules.MaxNameLength));
            Describe(properties, "description", description => (description.MinLength, description.MaxLength) = (null, ItemRules.MaxDescriptionLength));
            Describe(properties, "category", category => (category.Pattern, category.MinLength, category.MaxLength) = (ItemRules.CategoryPattern, 1, ItemRules.MaxCategoryLength));
            Describe(properties, "tags", tags =>
            {
                (tags.MaxItems, tags.UniqueItems) = (ItemRules.MaxTags, true);
                tags.Items = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = ItemRules.MaxTagLength };
            });
        }

        if (type == typeof(ItemMergePatch))
        {
            schema.Required = null;
            schema.Description = "A JSON merge patch (RFC 7396): only the fields given change; null removes an optional field (the category goes back to general). The name cannot be null.";
            Describe(properties, "name", name => name.Type = JsonSchemaType.String);
        }
        else if (type == typeof(Item))
        {
            Describe(properties, "id", id => (id.MinLength, id.MaxLength) = (1, 64));
            Describe(properties, "version", version => (version.Minimum, version.Maximum) = ("0", int.MaxValue.ToString(CultureInfo.InvariantCulture)));
        }
        else if (type == typeof(ItemPage))
        {
            Describe(properties, "items", items => items.MaxItems = ItemListQuery.MaxLimit);
            Describe(properties, "nextToken", token => token.MaxLength = PageToken.MaxTokenLength);
        }

        return Task.CompletedTask;
    }

    private static void Describe(IDictionary<string, IOpenApiSchema> properties, string name, Action<OpenApiSchema> describe)
    {
        if (properties.TryGetValue(name, out var property) && property is OpenApiSchema schema)
        {
            describe(schema);
        }
    }

    private static OpenApiSchema CategorySchema() =>
        new() { Type = JsonSchemaType.String, MinLength = 1, MaxLength = ItemRules.MaxCategoryLength, Pattern = ItemRules.CategoryPattern };

    private static OpenApiSchema ETagSchema() => new() { Type = JsonSchemaType.String, Pattern = "^\"[0-9]+\"$", MaxLength = 12 };
}
