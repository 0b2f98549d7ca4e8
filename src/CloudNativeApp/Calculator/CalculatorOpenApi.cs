namespace CloudNativeApp.Calculator;

/// <summary>What the calculator's OpenAPI description says beyond its endpoints' metadata.</summary>
internal static class CalculatorOpenApi
{
    public static void AddCalculatorTransformers(this OpenApiOptions options)
    {
        options.AddOperationTransformer(DescribePathNumbers);
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.DescribeTag("Calculator", "Exact decimal arithmetic (28–29 significant digits, about ±7.9e28).");
            return Task.CompletedTask;
        });
    }

    /// <summary>
    /// The path numbers are bound as text so <see cref="PathNumber"/> can read them as a JSON body's numbers are read;
    /// the document describes the decimals they are.
    /// </summary>
    private static Task DescribePathNumbers(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (!Enum.TryParse<Operation>(operation.OperationId, out _))
        {
            return Task.CompletedTask;
        }

        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>().Where(parameter => parameter.Name is "x" or "y") ?? [])
        {
            parameter.Description = "A number written as in JSON: '-' and '.' allowed, an exponent too (1e5); no '+', no thousands separators.";
            var schema = new OpenApiSchema { Type = JsonSchemaType.Number };
            OpenApiDescriptions.DescribeAsDecimal(schema);
            parameter.Schema = schema;
        }

        return Task.CompletedTask;
    }
}
