namespace CloudNativeApp.Lambda.EndToEnd.Tests;

/// <summary>The calculator served by the published app through every HTTP event source.</summary>
[Collection(UsesPublishedApp.Name)]
public sealed class CalculatorTests(PublishedApp app, FunctionFixture fixture) : InMemoryFunctionTests(app, fixture)
{
    /// <summary>
    /// Every source with each way to calculate: GET one operation, answered with a bare JSON number, and POST both
    /// numbers, answered with all four results.
    /// </summary>
    public static TheoryData<HttpEventSource, string, string?, string> Calculations()
    {
        var data = new TheoryData<HttpEventSource, string, string?, string>();
        foreach (var source in Enum.GetValues<HttpEventSource>())
        {
            data.Add(source, "/calculator/add/1/2", null, "3");
            data.Add(source, "/calculator", """{"number1":10,"number2":20}""", """{"number1":10,"number2":20,"sum":30,"product":200,"difference":10,"quotient":0.5}""");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Calculations))]
    public async Task Get_add_returns_the_bare_sum_and_post_all_four_results_as_JSON(HttpEventSource source, string path, string? body, string expected)
    {
        var request = body is null ? HttpEvent.Get(source, path) : HttpEvent.PostJson(source, path, body);

        var response = await Function.SendAsync(request);

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("application/json", response.MediaType);
        Assert.Equal(expected, response.Body);
    }

    [Theory]
    [MemberData(nameof(AllSources))]
    public async Task Dividing_by_zero_is_a_400_validation_problem(HttpEventSource source)
    {
        var response = await Function.SendAsync(HttpEvent.Get(source, "/calculator/divide/1/0"));

        Assert.Equal(400, response.StatusCode);
        Assert.Equal("application/problem+json", response.MediaType);
        Assert.True(response.BodyJson().GetProperty("errors").TryGetProperty("y", out _), response.Body);
    }

    [Theory]
    [MemberData(nameof(AllSources))]
    public async Task A_malformed_body_is_a_400_problem_not_a_function_error(HttpEventSource source)
    {
        var response = await Function.SendAsync(HttpEvent.PostJson(source, "/calculator", """{"number1":10,"""));

        Assert.Equal(400, response.StatusCode);
        Assert.Equal("application/problem+json", response.MediaType);
    }

    [Theory]
    [MemberData(nameof(AllSources))]
    public async Task An_unknown_route_is_404(HttpEventSource source)
    {
        var response = await Function.SendAsync(HttpEvent.Get(source, "/calculator/power/2/3"));

        Assert.Equal(404, response.StatusCode);
    }

    [Fact]
    public async Task One_process_serves_every_source_in_turn()
    {
        // Detection is per event: a function behind REST API, HTTP API and ALB at once answers each in its own shape.
        foreach (var source in Enum.GetValues<HttpEventSource>().Concat(Enum.GetValues<HttpEventSource>().Reverse()))
        {
            var response = await Function.SendAsync(HttpEvent.Get(source, "/calculator/multiply/6/7"));
            Assert.Equal("42", response.Body);
        }

        Assert.False(Function.Process.Exited.IsCompleted);
    }
}
