namespace CloudNativeApp.Items;

/// <summary><c>PATCH /items/{id}</c>: a JSON merge patch over an item's mutable fields, the properties of <see cref="ItemRequest"/>.</summary>
internal static class ItemPatch
{
    /// <summary>The patch in the request body, or null when it is JSON but not an object.</summary>
    public static Task<JsonObject?> ReadAsync(HttpRequest request, JsonSerializerOptions json, CancellationToken cancellationToken) =>
        JsonMergePatch.ReadAsync(request.Body, [.. json.GetTypeInfo<ItemRequest>().Properties.Select(property => property.Name)], cancellationToken);

    /// <summary>The required properties the patch sets to null, which would remove them (JSON names).</summary>
    public static List<string> NullRequiredProperties(JsonObject patch, JsonSerializerOptions json) =>
        [.. json.GetTypeInfo<ItemRequest>().Properties.Where(property => property.IsRequired && patch.TryGetPropertyValue(property.Name, out var value) && value is null).Select(property => property.Name)];

    /// <summary>The item's mutable fields with the patch applied, for validation; a 400 when they no longer make an item.</summary>
    public static ItemRequest Apply(JsonObject patch, Item current, JsonSerializerOptions json)
    {
        var requestJson = json.GetTypeInfo<ItemRequest>();
        var document = JsonSerializer.SerializeToNode(current.ToRequest(), requestJson)!.AsObject();
        foreach (var (name, value) in document.ToList())
        {
            if (value is null)
            {
                document.Remove(name); // absent and null mean the same to a merge patch
            }
        }

        try
        {
            return JsonMergePatch.Apply(document, patch).Deserialize(requestJson) ?? throw new JsonException("The patched item is null.", "$", null, null);
        }
        catch (JsonException exception)
        {
            throw new BadHttpRequestException("The merge patch does not produce a valid item.", StatusCodes.Status400BadRequest, exception);
        }
    }
}
