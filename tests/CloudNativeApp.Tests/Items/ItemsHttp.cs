namespace CloudNativeApp.Tests.Items;

/// <summary>Small HTTP helpers for the items API.</summary>
public static class ItemsHttp
{
    public static async Task<JsonObject> CreateItemAsync(this HttpClient client, object body)
    {
        using var response = await client.PostAsJsonAsync("/items", body);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (await response.ReadJsonAsync()).AsObject();
    }

    /// <summary>The item as the store now has it, read back with <c>GET /items/{id}</c>.</summary>
    public static async Task<JsonObject> GetStoredItemAsync(this HttpClient client, string id)
    {
        using var response = await client.GetAsync($"/items/{id}");
        return (await response.ReadJsonAsync()).AsObject();
    }

    public static async Task<JsonNode> ReadJsonAsync(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync()) ?? throw new InvalidOperationException("The response body is JSON null.");

    public static async Task<HttpResponseMessage> SendJsonAsync(this HttpClient client, HttpMethod method, string uri, string json, string contentType = "application/json", string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(method, uri) { Content = new StringContent(json, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return await client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> PatchAsync(this HttpClient client, string id, string json, string? ifMatch = null) =>
        client.SendJsonAsync(HttpMethod.Patch, $"/items/{id}", json, "application/merge-patch+json", ifMatch);

    public static Task<HttpResponseMessage> PutAsync(this HttpClient client, string id, string json, string? ifMatch = null) =>
        client.SendJsonAsync(HttpMethod.Put, $"/items/{id}", json, ifMatch: ifMatch);

    public static async Task<HttpResponseMessage> DeleteAsync(this HttpClient client, string id, string? ifMatch)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, $"/items/{id}");
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return await client.SendAsync(request);
    }

    /// <summary>Every page of a listing, following nextToken to the end.</summary>
    public static async Task<List<List<JsonObject>>> ListAllPagesAsync(this HttpClient client, string query)
    {
        List<List<JsonObject>> pages = [];
        string? token = null;
        do
        {
            var uri = $"/items?{query}" + (token is null ? "" : $"&nextToken={Uri.EscapeDataString(token)}");
            using var response = await client.GetAsync(uri);
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            var page = await response.ReadJsonAsync();
            pages.Add([.. page["items"]!.AsArray().Select(item => item!.AsObject())]);
            token = page["nextToken"]?.GetValue<string>();
            Assert.True(pages.Count < 1000, "The listing never ends.");
        }
        while (token is not null);

        return pages;
    }

    public static string Id(this JsonObject item) => item["id"]!.GetValue<string>();

    public static string ETag(this JsonObject item) => $"\"{item["version"]!.GetValue<int>()}\"";

    public static async Task AssertProblemAsync(this HttpResponseMessage response, System.Net.HttpStatusCode status, string? detailContains = null)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.ReadJsonAsync();
        Assert.Equal((int)status, problem["status"]!.GetValue<int>());
        if (detailContains is not null)
        {
            Assert.Contains(detailContains, problem.ToJsonString(), StringComparison.Ordinal);
        }
    }

    /// <summary>The validation problem's errors for <paramref name="field"/>.</summary>
    public static async Task<string[]> AssertValidationErrorAsync(this HttpResponseMessage response, string field)
    {
        await response.AssertProblemAsync(System.Net.HttpStatusCode.BadRequest);
        var errors = (await response.ReadJsonAsync())["errors"]?.AsObject();
        Assert.NotNull(errors);
        // Collection elements are reported per element: "tags[3]".
        var keys = errors.Select(error => error.Key).Where(key => key == field || key.StartsWith($"{field}[", StringComparison.Ordinal)).ToList();
        Assert.True(keys.Count > 0, $"Expected an error for '{field}', got {errors.ToJsonString()}.");
        return [.. keys.SelectMany(key => errors[key]!.AsArray().Select(message => message!.GetValue<string>()))];
    }
}
