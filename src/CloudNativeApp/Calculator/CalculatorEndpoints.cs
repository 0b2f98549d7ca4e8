using CloudNativeApp.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CloudNativeApp.Calculator;

public static class CalculatorEndpoints
{
    public static RouteGroupBuilder MapCalculator(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/calculator").WithTags("Calculator");

        group.MapPost("/", Calculate)
            .WithName("Calculate")
            .WithSummary("Sum, product, absolute difference and quotient of two numbers.")
            .WithValidation<CalculationRequest>();

        foreach (var operation in Enum.GetValues<Operation>())
        {
            var name = operation.ToString().ToLowerInvariant();
            group.MapGet($"/{name}/{{x}}/{{y}}", (decimal x, decimal y) => Apply(operation, x, y))
                .WithName(operation.ToString())
                .WithSummary($"{operation} two numbers; the result is a bare JSON number.");
        }

        return group;
    }

    public static Results<Ok<CalculationResult>, ProblemHttpResult> Calculate(CalculationRequest request) =>
        Arithmetic.TryCalculate(request) is { } result ? TypedResults.Ok(result) : OutOfRange();

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
