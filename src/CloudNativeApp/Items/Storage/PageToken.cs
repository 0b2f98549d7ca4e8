using System.Buffers.Text;

namespace CloudNativeApp.Items.Storage;

/// <summary>Where a listing stopped: the key of the last item returned.</summary>
/// <param name="Id">The table's hash key.</param>
/// <param name="Category">With <see cref="CreatedAt"/>, the index key; null for a table scan.</param>
/// <param name="CreatedAt">The index range key as stored (see <see cref="PageToken.FormatCreatedAt"/>).</param>
public sealed record PageKey(string Id, string? Category = null, string? CreatedAt = null)
{
    public bool IsIndexKey => Category is not null;
}

/// <summary>
/// The opaque <c>nextToken</c>: base64url of the last evaluated key in DynamoDB's JSON form
/// (<c>{"id":{"S":"…"}}</c>, plus <c>category</c> and <c>createdAt</c> for the index). Both repositories issue
/// and accept exactly this, and a token is checked in full before it reaches the store, so a tampered token
/// is a 400 rather than a DynamoDB ValidationException.
/// </summary>
public static class PageToken
{
    public const int MaxTokenLength = 4096;

    /// <summary>The instant format DynamoDBContext stores DateTime in: fixed width, so it sorts chronologically.</summary>
    public const string CreatedAtFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public static string FormatCreatedAt(DateTimeOffset createdAt) =>
        createdAt.UtcDateTime.ToString(CreatedAtFormat, CultureInfo.InvariantCulture);

    public static string Encode(PageKey key) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(ToKeyJson(key)));

    /// <summary>The key a token names, checked against the listing it is used for.</summary>
    /// <exception cref="InvalidPageTokenException">The token is malformed or belongs to another listing.</exception>
    public static PageKey Decode(string token, string? category)
    {
        if (token.Length is 0 or > MaxTokenLength)
        {
            throw new InvalidPageTokenException();
        }

        byte[] json;
        try
        {
            json = Base64Url.DecodeFromChars(token);
        }
        catch (FormatException exception)
        {
            throw new InvalidPageTokenException("The page token is not valid.", exception);
        }

        var key = FromKeyJson(json);
        if (key.Category != category)
        {
            throw new InvalidPageTokenException("The page token belongs to a different listing.");
        }

        return key;
    }

    /// <summary>The key in DynamoDB's attribute-value JSON, the form DynamoDBContext pagination tokens take.</summary>
    public static string ToKeyJson(PageKey key)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            WriteString(writer, ItemTable.HashKeyAttribute, key.Id);
            if (key.IsIndexKey)
            {
                WriteString(writer, ItemTable.CategoryAttribute, key.Category!);
                WriteString(writer, ItemTable.CreatedAtAttribute, key.CreatedAt!);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <exception cref="InvalidPageTokenException">Not exactly a table key or an index key of string attributes.</exception>
    public static PageKey FromKeyJson(ReadOnlySpan<byte> json)
    {
        Dictionary<string, string> attributes = [];
        try
        {
            using var document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 4, AllowDuplicateProperties = false });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidPageTokenException();
            }

            foreach (var attribute in document.RootElement.EnumerateObject())
            {
                if (attribute.Value.ValueKind != JsonValueKind.Object
                    || attribute.Value.EnumerateObject().ToList() is not [{ Name: "S", Value.ValueKind: JsonValueKind.String } value]
                    || !attributes.TryAdd(attribute.Name, value.Value.GetString()!))
                {
                    throw new InvalidPageTokenException();
                }
            }
        }
        catch (JsonException exception)
        {
            throw new InvalidPageTokenException("The page token is not valid.", exception);
        }

        var isTableKey = attributes.Count == 1;
        var isIndexKey = attributes.Count == 3
            && attributes.TryGetValue(ItemTable.CategoryAttribute, out var category) && ItemRules.IsCategory(category)
            && attributes.TryGetValue(ItemTable.CreatedAtAttribute, out var createdAt) && IsCreatedAt(createdAt);
        if (!(isTableKey || isIndexKey) || !attributes.TryGetValue(ItemTable.HashKeyAttribute, out var id) || !ItemRules.IsItemId(id))
        {
            throw new InvalidPageTokenException();
        }

        return isIndexKey
            ? new PageKey(id, attributes[ItemTable.CategoryAttribute], attributes[ItemTable.CreatedAtAttribute])
            : new PageKey(id);
    }

    private static bool IsCreatedAt(string value) =>
        DateTime.TryParseExact(value, CreatedAtFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    private static void WriteString(Utf8JsonWriter writer, string attribute, string value)
    {
        writer.WritePropertyName(attribute);
        writer.WriteStartObject();
        writer.WriteString("S", value);
        writer.WriteEndObject();
    }
}
