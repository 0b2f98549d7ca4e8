namespace CloudNativeApp.Infrastructure;

/// <summary>
/// Building blocks for the features' OpenAPI transformers (problem responses, response headers, exact decimals) and
/// the transformers every operation needs whatever its feature.
/// </summary>
public static class OpenApiDescriptions
{
    public const string ProblemMediaType = "application/problem+json";

    /// <summary>System.Text.Json's limit for date-time text (JsonConstants.MaximumDateTimeOffsetParseLength).</summary>
    public const int MaxDateTimeLength = 42;

    /// <summary>
    /// <c>decimal</c> is an exact number of up to 28–29 significant digits; <c>format: double</c> (the generator's
    /// default) makes generated clients parse <c>0.3333333333333333333333333333</c> into a double and lose digits.
    /// <c>type: number</c> keeps the JSON a number; <c>format: decimal</c> (OpenAPI format registry) maps to
    /// decimal / BigDecimal types in generators that know it and to plain numbers elsewhere. See docs/api.md.
    /// </summary>
    public static void DescribeAsDecimal(OpenApiSchema schema)
    {
        schema.Format = "decimal";
        schema.Minimum = decimal.MinValue.ToString(CultureInfo.InvariantCulture);
        schema.Maximum = decimal.MaxValue.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>A problem-details response (the <c>ProblemDetails</c> schema, which allows extension members).</summary>
    public static async Task<OpenApiResponse> ProblemResponseAsync(
        this OpenApiOperationTransformerContext context, string description, CancellationToken cancellationToken)
    {
        var document = context.Document ?? throw new InvalidOperationException("The operation transformer runs without its document.");
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        if (!document.Components.Schemas.ContainsKey(nameof(ProblemDetails)))
        {
            document.Components.Schemas[nameof(ProblemDetails)] = await context.GetOrCreateSchemaAsync(typeof(ProblemDetails), null, cancellationToken);
        }

        return new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                [ProblemMediaType] = new() { Schema = new OpenApiSchemaReference(nameof(ProblemDetails), document) },
            },
        };
    }

    /// <summary>Adds a problem response for <paramref name="status"/> unless the operation already declares one.</summary>
    public static async Task AddProblemResponseAsync(
        this OpenApiOperationTransformerContext context, OpenApiOperation operation, int status, string description, CancellationToken cancellationToken)
    {
        operation.Responses ??= [];
        var key = status.ToString(CultureInfo.InvariantCulture);
        if (!operation.Responses.ContainsKey(key))
        {
            operation.Responses[key] = await context.ProblemResponseAsync(description, cancellationToken);
        }
    }

    /// <summary>Declares a response header on the operation's responses of the given statuses.</summary>
    public static void AddResponseHeader(this OpenApiOperation operation, string name, string description, OpenApiSchema schema, params string[] statuses)
    {
        foreach (var status in statuses)
        {
            if (operation.Responses?.TryGetValue(status, out var response) == true && response is OpenApiResponse concrete)
            {
                concrete.Headers ??= new Dictionary<string, IOpenApiHeader>();
                concrete.Headers[name] = new OpenApiHeader { Description = description, Required = true, Schema = schema };
            }
        }
    }

    /// <summary>The <c>Retry-After</c> header: whole seconds to wait.</summary>
    public static OpenApiSchema RetryAfterSchema() => new() { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "0", Maximum = "86400" };

    /// <summary>Sets a tag's description (tags come from <c>WithTags</c>, which has no place for one).</summary>
    public static void DescribeTag(this OpenApiDocument document, string name, string description)
    {
        foreach (var tag in document.Tags ?? Enumerable.Empty<OpenApiTag>())
        {
            if (tag.Name == name)
            {
                tag.Description = description;
            }
        }
    }

    internal static void AddGenericTransformers(this OpenApiOptions options)
    {
        options.AddSchemaTransformer((schema, context, _) =>
        {
            var type = context.JsonTypeInfo.Type;
            if (type == typeof(decimal))
            {
                DescribeAsDecimal(schema);
            }
            else if (type == typeof(DateTimeOffset) || type == typeof(DateTimeOffset?) || type == typeof(DateTime) || type == typeof(DateTime?))
            {
                // The longest ISO-8601 text System.Text.Json reads as a date and time (7 fractional digits and an offset, and more).
                schema.MaxLength = MaxDateTimeLength;
            }

            return Task.CompletedTask;
        });
        options.AddOperationTransformer(DescribeBodyProblemsAsync);
        options.AddDocumentTransformer((document, _, _) =>
        {
            LeaveOutHeadOperations(document);
            return Task.CompletedTask;
        });
    }

    /// <summary>
    /// A JSON body can be malformed (400: not JSON, wrong types, unknown or repeated properties) or of another media
    /// type or charset (415), whatever the endpoint: <see cref="BadRequestExceptionHandler"/>, routing and
    /// <see cref="RequestCharset"/> answer those before a handler runs.
    /// </summary>
    private static async Task DescribeBodyProblemsAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (operation.RequestBody is null)
        {
            return;
        }

        await context.AddProblemResponseAsync(operation, StatusCodes.Status400BadRequest, "The body is not valid JSON for this operation.", cancellationToken);
        await context.AddProblemResponseAsync(
            operation, StatusCodes.Status415UnsupportedMediaType, "The body's Content-Type is not one this operation accepts (the detail names it).", cancellationToken);
    }

    /// <summary>
    /// GET routes answer HEAD too (<see cref="HeadRequests"/>); described once in docs/api.md rather than as
    /// operations that would repeat each GET's operation id and promise a body they do not have.
    /// </summary>
    private static void LeaveOutHeadOperations(OpenApiDocument document)
    {
        foreach (var path in document.Paths.Values)
        {
            path.Operations?.Remove(HttpMethod.Head);
        }
    }
}
