namespace CloudNativeApp.Calculator;

public static class CalculatorEndpoints
{
    public static RouteGroupBuilder MapCalculator(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/calculator").WithTags("Calculator").AnswerHeadOnGets();
        group.ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        group.MapPost("/", Calculate)
            .WithName("Calculate")
            .WithSummary("Sum, product, absolute difference and quotient of two numbers.")
            .WithValidation<CalculationRequest>();

        foreach (var operation in Enum.GetValues<Operation>())
        {
            var name = operation.ToString().ToLowerInvariant();
            group.MapGet($"/{name}/{{x}}/{{y}}", (string x, string y) => Apply(operation, x, y))
                .WithName(operation.ToString())
                .WithSummary($"{operation} two numbers; the result is a bare JSON number.")
                .ProducesValidationProblem();
        }

        return group;
    }

    public static Results<Ok<CalculationResult>, ProblemHttpResult> Calculate(CalculationRequest request) =>
        Arithmetic.TryCalculate(request) is { } result ? TypedResults.Ok(result) : OutOfRange();

    /// <summary>The operation on two numbers written as in a JSON body (see <see cref="PathNumber"/>).</summary>
    public static Results<Ok<decimal>, ValidationProblem, ProblemHttpResult> Apply(Operation operation, string x, string y)
    {
        var errors = new Dictionary<string, string[]>();
        foreach (var (name, text) in (ReadOnlySpan<(string, string)>)[("x", x), ("y", y)])
        {
            if (!PathNumber.TryParse(text, out _))
            {
                errors[name] = [PathNumber.Invalid(text)];
            }
        }

        return errors.Count > 0 ? TypedResults.ValidationProblem(errors) : Apply(operation, PathNumber.Parse(x), PathNumber.Parse(y));
    }

    public static Results<Ok<decimal>, ValidationProblem, ProblemHttpResult> Apply(Operation operation, decimal x, decimal y)
    {
        if (operation == Operation.Divide && y == 0)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["y"] = [Arithmetic.DivisionByZeroMessage] });
        }

        return Arithmetic.TryApply(operation, x, y) is { } result ? TypedResults.Ok(result) : OutOfRange();
    }

    private static ProblemHttpResult OutOfRange() =>
        TypedResults.Problem(Arithmetic.OutOfRangeDetail, statusCode: StatusCodes.Status422UnprocessableEntity, title: "Result out of range");
}
