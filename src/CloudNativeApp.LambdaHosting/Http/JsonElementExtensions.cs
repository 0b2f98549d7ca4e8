using System.Text.Json;

namespace CloudNativeApp.LambdaHosting.Http;

/// <summary>Null-tolerant lookups: events mark absent sections with null as often as they leave them out.</summary>
internal static class JsonElementExtensions
{
    public static JsonElement Property(this JsonElement element, ReadOnlySpan<byte> utf8Name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(utf8Name, out var value) ? value : default;

    /// <summary>The property when it is an object, otherwise default (ValueKind Undefined).</summary>
    public static JsonElement Object(this JsonElement element, ReadOnlySpan<byte> utf8Name) =>
        element.Property(utf8Name) is { ValueKind: JsonValueKind.Object } value ? value : default;

    public static string? String(this JsonElement element, ReadOnlySpan<byte> utf8Name) =>
        element.Property(utf8Name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    public static bool IsTrue(this JsonElement element, ReadOnlySpan<byte> utf8Name) =>
        element.Property(utf8Name).ValueKind == JsonValueKind.True;

    /// <summary>Strings as they are; numbers and booleans (hand-written events) by their JSON text.</summary>
    public static string? AsText(this JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        _ => null,
    };
}
