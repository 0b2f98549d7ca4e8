namespace CloudNativeApp.Calculator;

/// <summary>
/// Compile-time JSON metadata for the calculator's types, so a Lambda cold start does not build it by reflection.
/// Metadata mode only: naming and strictness come from <see cref="Infrastructure.ApiDefaults.ConfigureJson"/> at run
/// time (camelCase over HTTP, PascalCase for direct invocations).
/// </summary>
[JsonSourceGenerationOptions(GenerationMode = JsonSourceGenerationMode.Metadata)]
[JsonSerializable(typeof(CalculationRequest))]
[JsonSerializable(typeof(CalculationResult))]
[JsonSerializable(typeof(decimal))]
internal sealed partial class CalculatorJsonContext : JsonSerializerContext;
