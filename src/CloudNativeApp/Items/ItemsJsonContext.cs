namespace CloudNativeApp.Items;

/// <summary>
/// Compile-time JSON metadata for the items API's types. Without it System.Text.Json builds their metadata by
/// reflection and emits IL accessors for every type the first time an endpoint is bound, which a Lambda cold start
/// pays for. Naming and strictness still come from <see cref="Infrastructure.ApiDefaults.ConfigureJson"/> at run
/// time, so metadata mode only (no serialization fast path compiled against other options).
/// </summary>
[JsonSourceGenerationOptions(GenerationMode = JsonSourceGenerationMode.Metadata)]
[JsonSerializable(typeof(Item))]
[JsonSerializable(typeof(ItemRequest))]
[JsonSerializable(typeof(ItemMergePatch))]
[JsonSerializable(typeof(ItemPage))]
internal sealed partial class ItemsJsonContext : JsonSerializerContext;
