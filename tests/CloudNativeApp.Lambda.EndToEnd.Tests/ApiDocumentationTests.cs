namespace CloudNativeApp.Lambda.EndToEnd.Tests;

/// <summary>
/// Swagger in the published app: its middleware is built on the first /swagger request rather than at startup, and
/// the REST API's stage prefix (/Prod) must survive into the document and UI links.
/// </summary>
[Collection(UsesPublishedApp.Name)]
public sealed class ApiDocumentationTests(PublishedApp app, FunctionFixture fixture) : InMemoryFunctionTests(app, fixture)
{
    [Theory]
    [MemberData(nameof(AllSources))]
    public async Task The_OpenAPI_document_describes_the_calculator_and_items(HttpEventSource source)
    {
        var response = await Function.SendAsync(HttpEvent.Get(source, "/swagger/v1/swagger.json"));

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("application/json", response.MediaType);
        var paths = response.BodyJson().GetProperty("paths");
        Assert.True(paths.TryGetProperty("/calculator/add/{x}/{y}", out _), response.Body);
        Assert.True(paths.TryGetProperty("/items/{id}", out _), response.Body);

        // The transformers run in the Native AOT build too: exact decimals, the relative server, declared problems.
        var document = response.BodyJson();
        Assert.Equal("../..", document.GetProperty("servers")[0].GetProperty("url").GetString());
        Assert.Equal("decimal", document.GetProperty("components").GetProperty("schemas").GetProperty("CalculationResult")
            .GetProperty("properties").GetProperty("sum").GetProperty("format").GetString());
        Assert.True(paths.GetProperty("/calculator").GetProperty("post").GetProperty("responses").TryGetProperty("415", out _), response.Body);
    }

    [Fact]
    public async Task Swagger_UI_is_served_under_the_REST_API_stage()
    {
        var redirect = await Function.SendAsync(HttpEvent.Get(HttpEventSource.RestApi, "/swagger"));
        var page = await Function.SendAsync(HttpEvent.Get(HttpEventSource.RestApi, "/swagger/index.html"));

        Assert.Equal(301, redirect.StatusCode);
        Assert.EndsWith("index.html", redirect.Header("Location"), StringComparison.Ordinal);
        Assert.Equal(200, page.StatusCode);
        Assert.Equal("text/html", page.MediaType);
        Assert.Contains("CloudNativeApp API", page.Body, StringComparison.Ordinal);
    }
}
