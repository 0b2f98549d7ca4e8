namespace CloudNativeApp.Lambda.EndToEnd.Tests;

/// <summary>Events that are not HTTP events go to the calculator's direct handler, the classic Lambda demo.</summary>
[Collection(UsesPublishedApp.Name)]
public sealed class DirectInvocationTests(PublishedApp app, FunctionFixture fixture) : InMemoryFunctionTests(app, fixture)
{
    [Fact]
    public async Task The_calculator_event_returns_exactly_the_four_results()
    {
        var outcome = await Function.InvokeAsync("""{"Number1":10,"Number2":20}""");

        Assert.True(outcome.Succeeded, outcome.ToString());
        Assert.Equal("""{"Number1":10,"Number2":20,"Sum":30,"Product":200,"Difference":10,"Quotient":0.5}""", outcome.ResponseText);
    }

    [Theory]
    [InlineData("""{"Number1":10,"Number2":0}""", "Number2")]
    [InlineData("""{"Number1":10}""", "Number2")]
    [InlineData("""{"Number2":10}""", "Number1")]
    [InlineData("""{"Number1":"ten","Number2":1}""", "Number1")]
    public async Task An_invalid_calculator_event_posts_an_error_that_says_what_is_wrong(string eventJson, string namedField)
    {
        var outcome = await Function.InvokeAsync(eventJson);

        Assert.Equal(InvocationStatus.FunctionError, outcome.Status);
        var error = outcome.Error!;
        Assert.True(error.IsWellFormed, error.BodyText);
        Assert.False(string.IsNullOrWhiteSpace(error.ErrorType));
        Assert.Equal(error.ErrorType, error.ErrorTypeHeader);
        Assert.Contains(namedField, error.ErrorMessage, StringComparison.OrdinalIgnoreCase);

        Assert.Contains(error.StackTrace, frame => frame.StartsWith("at CloudNativeApp.Calculator.CalculatorLambdaHandler.", StringComparison.Ordinal));

        var next = await Function.InvokeAsync("""{"Number1":1,"Number2":4}""");
        Assert.Equal("""{"Number1":1,"Number2":4,"Sum":5,"Product":4,"Difference":3,"Quotient":0.25}""", next.ResponseText);
    }
}
