using System.Buffers;
using CloudNativeApp.Calculator;

namespace CloudNativeApp.Tests.Calculator;

public sealed class CalculatorLambdaHandlerTests
{
    private static readonly LambdaContext Context = new("request-1", DateTimeOffset.UtcNow.AddMinutes(1));

    private static async Task<string> InvokeAsync(string payload)
    {
        var handler = new CalculatorLambdaHandler(new CalculationRequestValidator());
        var response = new ArrayBufferWriter<byte>();
        await handler.HandleAsync(Encoding.UTF8.GetBytes(payload), response, Context, CancellationToken.None);
        return Encoding.UTF8.GetString(response.WrittenSpan);
    }

    [Fact]
    public async Task Classic_event_returns_exactly_the_classic_result()
    {
        Assert.Equal("""{"Number1":10,"Number2":20,"Sum":30,"Product":200,"Difference":10,"Quotient":0.5}""", await InvokeAsync("""{"Number1":10,"Number2":20}"""));
    }

    [Fact]
    public async Task Property_names_are_case_insensitive_and_decimals_are_exact()
    {
        Assert.Equal("""{"Number1":0.1,"Number2":0.2,"Sum":0.3,"Product":0.02,"Difference":0.1,"Quotient":0.5}""", await InvokeAsync("""{"number1":0.1,"NUMBER2":0.2}"""));
    }

    [Theory]
    [InlineData("""{"Number1":10,"Number2":0}""", CalculatorLambdaHandler.ValidationFailed, "Number2: Cannot divide by zero.")]
    [InlineData("""{"Number1":10}""", CalculatorLambdaHandler.InvalidEvent, "The event is missing required properties: 'Number2'.")]
    [InlineData("""{"Number1":"ten","Number2":1}""", CalculatorLambdaHandler.InvalidEvent, "The JSON value at '$.Number1' has the wrong type or is out of range.")]
    [InlineData("""{"Number1":1,"Number2":2,"Number3":3}""", CalculatorLambdaHandler.InvalidEvent, "The JSON property '$.Number3' is not recognised.")]
    [InlineData("""null""", CalculatorLambdaHandler.InvalidEvent, "The event must be a JSON object such as {\"Number1\":10,\"Number2\":20}.")]
    [InlineData("""[1,2]""", CalculatorLambdaHandler.InvalidEvent, "The JSON value at '$' has the wrong type or is out of range.")]
    [InlineData("""{"Number1":1e28,"Number2":1e28}""", CalculatorLambdaHandler.ResultOutOfRange, Arithmetic.OutOfRangeDetail)]
    public async Task Invalid_event_is_a_function_error_that_says_what_is_wrong(string payload, string errorType, string message)
    {
        var error = await Assert.ThrowsAsync<LambdaFunctionException>(() => InvokeAsync(payload));

        Assert.Equal(errorType, error.ErrorType);
        Assert.Equal(message, error.Message);
    }
}
