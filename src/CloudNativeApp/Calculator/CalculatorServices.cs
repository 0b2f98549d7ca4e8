namespace CloudNativeApp.Calculator;

public static class CalculatorServices
{
    /// <summary>The calculator's validator and JSON metadata, and its answer to direct Lambda invocations (events that are not HTTP requests).</summary>
    public static WebApplicationBuilder AddCalculator(this WebApplicationBuilder builder)
    {
        // Listed rather than found by AddValidatorsFromAssemblyContaining, whose reflection scan of the assembly costs cold starts.
        builder.Services.AddScoped<IValidator<CalculationRequest>, CalculationRequestValidator>();
        builder.Services.AddJsonMetadata(CalculatorJsonContext.Default);
        builder.Services.Configure<OpenApiOptions>(ApiDocumentation.DocumentName, options => options.AddCalculatorTransformers());
        builder.Services.AddLambdaDirectInvocationHandler<CalculatorLambdaHandler>();

        // SnapStart: a calculation through the whole invocation path before the snapshot, so the first one after
        // a restore runs warm.
        builder.Services.AddLambdaPrimingRequest("POST", "/calculator", """{"number1":10,"number2":20}""");
        return builder;
    }
}
