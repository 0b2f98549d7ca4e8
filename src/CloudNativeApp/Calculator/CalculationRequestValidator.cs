namespace CloudNativeApp.Calculator;

internal sealed class CalculationRequestValidator : AbstractValidator<CalculationRequest>
{
    public CalculationRequestValidator()
    {
        RuleFor(request => request.Number2).NotEqual(0).WithMessage(Arithmetic.DivisionByZeroMessage);
    }
}
