namespace CloudNativeApp.Calculator;

/// <summary>The classic Lambda demo event: <c>{"Number1":10,"Number2":20}</c> (names are case-insensitive).</summary>
public sealed record CalculationRequest(decimal Number1, decimal Number2);

public sealed record CalculationResult(decimal Number1, decimal Number2, decimal Sum, decimal Product, decimal Difference, decimal Quotient);

public enum Operation
{
    Add,
    Subtract,
    Multiply,
    Divide,
}

public static class Arithmetic
{
    /// <summary>All four results, or null when one of them does not fit in a decimal.</summary>
    public static CalculationResult? TryCalculate(CalculationRequest request)
    {
        var (x, y) = (request.Number1, request.Number2);
        return TryApply(Operation.Add, x, y) is { } sum
            && TryApply(Operation.Multiply, x, y) is { } product
            && TryApply(Operation.Subtract, x, y) is { } difference
            && TryApply(Operation.Divide, x, y) is { } quotient
            ? new CalculationResult(x, y, sum, product, Math.Abs(difference), quotient)
            : null;
    }

    /// <summary>The result, or null on overflow. Division by zero is the caller's to rule out (it is a validation error).</summary>
    public static decimal? TryApply(Operation operation, decimal x, decimal y)
    {
        try
        {
            return operation switch
            {
                Operation.Add => x + y,
                Operation.Subtract => x - y,
                Operation.Multiply => x * y,
                Operation.Divide => x / y,
                _ => throw new ArgumentOutOfRangeException(nameof(operation)),
            };
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    public const string OutOfRangeDetail = "The result is outside the range of a decimal number (about ±7.9e28).";
    public const string DivisionByZeroMessage = "Cannot divide by zero.";
}
