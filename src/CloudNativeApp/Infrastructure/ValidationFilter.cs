namespace CloudNativeApp.Infrastructure;

/// <summary>Runs the FluentValidation validator for the endpoint's <typeparamref name="T"/> argument.</summary>
public sealed class ValidationFilter<T> : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var validator = context.HttpContext.RequestServices.GetRequiredService<IValidator<T>>();
        foreach (var argument in context.Arguments)
        {
            if (argument is T value)
            {
                var result = await validator.ValidateAsync(value, context.HttpContext.RequestAborted);
                if (!result.IsValid)
                {
                    return TypedResults.ValidationProblem(result.ToProblemErrors());
                }
            }
        }

        return await next(context);
    }
}

public static class ValidationFilterExtensions
{
    /// <summary>Error keys use the JSON (camelCase) names clients send, not the .NET property names.</summary>
    public static Dictionary<string, string[]> ToProblemErrors(this FluentValidation.Results.ValidationResult result) =>
        result.Errors
            .GroupBy(error => JsonNamingPolicy.CamelCase.ConvertName(error.PropertyName))
            .ToDictionary(group => group.Key, group => group.Select(error => error.ErrorMessage).Distinct().ToArray());

    /// <summary>Validates the <typeparamref name="T"/> argument and documents the 400 validation problem.</summary>
    public static RouteHandlerBuilder WithValidation<T>(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilter<ValidationFilter<T>>().ProducesValidationProblem();
}
