namespace CloudNativeApp.Tests.Calculator;

public sealed class CalculatorEndpointsTests(CalculatorApp app) : IClassFixture<CalculatorApp>
{
    private readonly HttpClient _client = app.CreateClient();

    [Fact]
    public async Task Post_returns_all_four_results()
    {
        using var response = await PostAsync("""{"number1":10,"number2":20}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(
            JsonNode.DeepEquals(
                JsonNode.Parse("""{"number1":10,"number2":20,"sum":30,"product":200,"difference":10,"quotient":0.5}"""),
                JsonNode.Parse(await response.Content.ReadAsStringAsync())),
            await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_classic_lambda_event_with_pascal_case_names_works()
    {
        using var response = await PostAsync("""{"Number1":10,"Number2":20}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(30, (await JsonAsync(response))["sum"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task Difference_is_absolute()
    {
        using var response = await PostAsync("""{"number1":20,"number2":50}""");

        Assert.Equal(30, (await JsonAsync(response))["difference"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task Decimal_arithmetic_makes_point_one_plus_point_two_exactly_point_three()
    {
        using var response = await PostAsync("""{"number1":0.1,"number2":0.2}""");

        Assert.Contains("\"sum\":0.3,", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dividing_by_zero_is_a_validation_problem_naming_number2()
    {
        using var response = await PostAsync("""{"number1":1,"number2":0}""");

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]?["number2"]);
    }

    [Theory]
    [InlineData("""{"number1":1}""", "number2")] // missing field
    [InlineData("""{"number1":"one","number2":2}""", "$.number1")] // wrong type
    [InlineData("""{"number1":true,"number2":2}""", "$.number1")] // wrong type
    [InlineData("""{"number1":1,"number2":""", "JSON")] // malformed
    [InlineData("""not json""", "JSON")] // malformed
    [InlineData("", "body")] // empty
    [InlineData("""{"number1":1e400,"number2":2}""", "$.number1")] // does not fit a decimal
    public async Task Bad_bodies_are_a_400_that_says_what_is_wrong(string body, string mentioned)
    {
        using var response = await PostAsync(body);

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(mentioned, problem["detail"]?.GetValue<string>() ?? problem.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_property_is_a_400_naming_it()
    {
        using var response = await PostAsync("""{"number1":1,"number2":2,"number3":3}""");

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("number3", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_non_json_content_type_is_a_415_that_names_json()
    {
        using var response = await PostAsync("""{"number1":1,"number2":2}""", "text/plain");

        var problem = await AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
        Assert.Contains("Content-Type: application/json", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("text/plain", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_result_outside_decimal_range_is_a_422()
    {
        using var response = await PostAsync("""{"number1":1e28,"number2":1e28}""");

        var problem = await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Contains("range", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("add", "10", "20", "30")]
    [InlineData("subtract", "10", "20", "-10")]
    [InlineData("multiply", "10", "20", "200")]
    [InlineData("divide", "10", "20", "0.5")]
    [InlineData("add", "0.1", "0.2", "0.3")]
    [InlineData("multiply", "-1.5", "2", "-3.0")]
    [InlineData("add", "1e5", "1", "100001")] // exponents, as in a JSON body
    [InlineData("add", "1E-2", "0", "0.01")]
    [InlineData("multiply", "-2.5e1", "2", "-50")]
    [InlineData("subtract", "0.3333333333333333333333333333", "0", "0.3333333333333333333333333333")]
    public async Task Get_routes_return_a_bare_json_number(string operation, string x, string y, string expected)
    {
        using var response = await _client.GetAsync($"/calculator/{operation}/{x}/{y}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(expected, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("add", "abc", "1", "x", "abc")]
    [InlineData("subtract", "1", "1e400", "y", "1e400")]
    [InlineData("multiply", "NaN", "1", "x", "NaN")]
    [InlineData("add", "1,5", "1", "x", "1,5")] // a thousands separator, not a decimal comma: 15 before
    [InlineData("add", "1-", "0", "x", "1-")] // a trailing sign: -1 before
    [InlineData("add", "1", "+2", "y", "+2")]
    [InlineData("add", "1", ".5", "y", ".5")]
    [InlineData("add", "1", "5.", "y", "5.")]
    [InlineData("add", "1", "%201", "y", " 1")]
    [InlineData("add", "1", "1_000", "y", "1_000")]
    public async Task Get_routes_with_bad_values_are_a_validation_problem_naming_the_value(string operation, string x, string y, string field, string mentioned)
    {
        using var response = await _client.GetAsync($"/calculator/{operation}/{x}/{y}");

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        var error = Assert.Single(problem["errors"]!.AsObject());
        Assert.Equal(field, error.Key);
        Assert.Contains($"'{mentioned}'", error.Value![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Head_on_a_get_route_has_the_status_and_headers_without_a_body()
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, "/calculator/add/1/2");
        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Get_divide_by_zero_is_a_validation_problem_naming_y()
    {
        using var response = await _client.GetAsync("/calculator/divide/1/0");

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]?["y"]);
    }

    [Fact]
    public async Task Get_route_overflow_is_a_422()
    {
        using var response = await _client.GetAsync("/calculator/multiply/10000000000000000000000000000/10");

        await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task An_unknown_operation_is_a_404()
    {
        using var response = await _client.GetAsync("/calculator/power/2/3");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private async Task<HttpResponseMessage> PostAsync(string body, string contentType = "application/json")
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return await _client.PostAsync("/calculator", content);
    }

    private static async Task<JsonNode> JsonAsync(HttpResponseMessage response) => JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    private static async Task<JsonNode> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await JsonAsync(response);
        Assert.Equal((int)status, problem["status"]!.GetValue<int>());
        Assert.DoesNotContain("System.", problem.ToJsonString(), StringComparison.Ordinal); // no .NET type names leak
        return problem;
    }
}
