namespace CloudNativeApp.Calculator;

/// <summary>
/// The calculator as a plain Lambda function: <c>aws lambda invoke --payload '{"Number1":10,"Number2":20}'</c> returns
/// <c>{"Number1":10,"Number2":20,"Sum":30,"Product":200,"Difference":10,"Quotient":0.5}</c>. A bad event is a function
/// error whose errorType and errorMessage say what is wrong.
/// </summary>
internal sealed class CalculatorLambdaHandler(IValidator<CalculationRequest> validator) : ILambdaDirectInvocationHandler
{
    public const string InvalidEvent = "Calculator.InvalidEvent";
    public const string ValidationFailed = "Calculator.ValidationFailed";
    public const string ResultOutOfRange = "Calculator.ResultOutOfRange";

    // The HTTP API's strict rules, but with the property names of the classic Lambda demo (PascalCase) on the way out.
    private static readonly JsonSerializerOptions JsonOptions = CreateJsonOptions();
    private static readonly JsonTypeInfo<CalculationRequest> RequestJson = JsonOptions.GetTypeInfo<CalculationRequest>();
    private static readonly JsonTypeInfo<CalculationResult> ResultJson = JsonOptions.GetTypeInfo<CalculationResult>();

    public ValueTask HandleAsync(ReadOnlyMemory<byte> payload, IBufferWriter<byte> response, ILambdaContext context, CancellationToken cancellationToken)
    {
        var request = Read(payload.Span);
        var validation = validator.Validate(request);
        if (!validation.IsValid)
        {
            throw new LambdaFunctionException(ValidationFailed, string.Join(" ", validation.Errors.Select(error => $"{error.PropertyName}: {error.ErrorMessage}")));
        }

        var result = Arithmetic.TryCalculate(request) ?? throw new LambdaFunctionException(ResultOutOfRange, Arithmetic.OutOfRangeDetail);
        using var writer = new Utf8JsonWriter(response);
        JsonSerializer.Serialize(writer, result, ResultJson);
        return ValueTask.CompletedTask;
    }

    private static CalculationRequest Read(ReadOnlySpan<byte> payload)
    {
        try
        {
            return JsonSerializer.Deserialize(payload, RequestJson)
                ?? throw new LambdaFunctionException(InvalidEvent, "The event must be a JSON object such as {\"Number1\":10,\"Number2\":20}.");
        }
        catch (JsonException exception)
        {
            var detail = BadRequestExceptionHandler.Describe(new BadHttpRequestException("Invalid event.", StatusCodes.Status400BadRequest, exception));
            throw new LambdaFunctionException(InvalidEvent, detail.Replace("The request body", "The event", StringComparison.Ordinal), exception);
        }
    }

    private static JsonSerializerOptions CreateJsonOptions()
    {
        var options = new JsonSerializerOptions();
        ApiDefaults.ConfigureJson(options, CalculatorJsonContext.Default);
        options.PropertyNamingPolicy = null;
        options.MakeReadOnly();
        return options;
    }
}
