namespace CloudNativeApp.Items;

/// <summary>RFC 7396 JSON Merge Patch.</summary>
public static class JsonMergePatch
{
    public const string MediaType = "application/merge-patch+json";

    public static bool IsMediaType(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed) && parsed.MediaType.Equals(MediaType, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The patch in <paramref name="body"/> with its property names settled to those of <paramref name="properties"/>
    /// (which they match without regard to case, as everywhere in this API), or null when it is JSON but not an
    /// object. Invalid JSON and unknown or repeated properties are a 400 that names the property.
    /// </summary>
    public static async Task<JsonObject?> ReadAsync(Stream body, IReadOnlyCollection<string> properties, CancellationToken cancellationToken)
    {
        // Read whole (the body limit bounds it) to check the encoding: a JsonNode decodes invalid UTF-8 in strings to
        // U+FFFD instead of failing, which would store replacement characters the client never sent.
        using var buffer = new MemoryStream();
        await body.CopyToAsync(buffer, cancellationToken);
        if (!System.Text.Unicode.Utf8.IsValid(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)))
        {
            throw new BadHttpRequestException(
                "The merge patch is not valid UTF-8.", StatusCodes.Status400BadRequest, new JsonException("The merge patch contains invalid UTF-8."));
        }

        JsonNode? patch;
        try
        {
            patch = JsonNode.Parse(
                buffer.GetBuffer().AsSpan(0, (int)buffer.Length),
                new JsonNodeOptions { PropertyNameCaseInsensitive = false },
                new JsonDocumentOptions { AllowDuplicateProperties = false, MaxDepth = 32 });
        }
        catch (JsonException exception)
        {
            throw new BadHttpRequestException("The merge patch is not valid JSON.", StatusCodes.Status400BadRequest, exception);
        }

        if (patch is not JsonObject patchObject)
        {
            return null;
        }

        // Settled before merging, so "Name" replaces "name" instead of sitting next to it.
        JsonObject canonical = [];
        foreach (var (name, value) in patchObject)
        {
            var known = properties.FirstOrDefault(property => property.Equals(name, StringComparison.OrdinalIgnoreCase))
                ?? throw new BadHttpRequestException(
                    "Unknown property.",
                    StatusCodes.Status400BadRequest,
                    new JsonException($"The JSON property '{name}' could not be mapped to any .NET member.", $"$.{name}", null, null));
            if (!canonical.TryAdd(known, value?.DeepClone()))
            {
                throw new BadHttpRequestException(
                    "Duplicate property.", StatusCodes.Status400BadRequest, new JsonException($"Duplicate property '{known}'.", $"$.{name}", null, null));
            }
        }

        return canonical;
    }

    /// <summary>The target with the patch applied; the inputs are not modified.</summary>
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target is JsonObject targetObject ? (JsonObject)targetObject.DeepClone() : [];
        foreach (var (name, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(name);
            }
            else
            {
                var patched = Apply(result.TryGetPropertyValue(name, out var existing) ? existing : null, value);
                result[name] = patched;
            }
        }

        return result;
    }
}
