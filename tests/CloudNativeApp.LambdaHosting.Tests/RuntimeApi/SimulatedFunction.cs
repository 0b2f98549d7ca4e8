using System.Net.Http.Headers;

namespace CloudNativeApp.LambdaHosting.Tests.RuntimeApi;

/// <summary>A Lambda function reduced to its Runtime API calls, made with a plain HttpClient.</summary>
internal sealed class SimulatedFunction : IDisposable
{
    // Generous: the machine running the tests may be busy; a hang still ends the test instead of the run.
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly HttpClient http;

    public SimulatedFunction(LambdaRuntimeApiServer api)
    {
        // The long poll has no timeout of its own in Lambda; Patience bounds it here instead.
        http = new HttpClient { BaseAddress = new Uri($"http://{api.RuntimeApiAddress}/2018-06-01/runtime/"), Timeout = Timeout.InfiniteTimeSpan };
    }

    public Task<HttpResponseMessage> StartNextAsync(CancellationToken cancellationToken = default) =>
        http.GetAsync("invocation/next", HttpCompletionOption.ResponseContentRead, cancellationToken);

    public async Task<DeliveredInvocation> NextAsync()
    {
        using var response = await StartNextAsync().WaitAsync(Patience);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return new DeliveredInvocation(
            response.Headers.GetValues(RuntimeApiHeaders.RequestId).Single(),
            response.Headers,
            response.Content.Headers.ContentType?.MediaType,
            await response.Content.ReadAsByteArrayAsync());
    }

    public Task<HttpResponseMessage> PostResponseAsync(string requestId, string json) =>
        PostResponseAsync(requestId, Encoding.UTF8.GetBytes(json), "application/json");

    public Task<HttpResponseMessage> PostResponseAsync(string requestId, byte[] body, string contentType)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return http.PostAsync($"invocation/{Uri.EscapeDataString(requestId)}/response", content).WaitAsync(Patience);
    }

    public Task<HttpResponseMessage> PostErrorAsync(string requestId, string errorType, string errorDocument) =>
        PostErrorDocumentAsync($"invocation/{Uri.EscapeDataString(requestId)}/error", errorType, errorDocument);

    public Task<HttpResponseMessage> PostInitErrorAsync(string errorType, string errorDocument) =>
        PostErrorDocumentAsync("init/error", errorType, errorDocument);

    public void Dispose() => http.Dispose();

    private async Task<HttpResponseMessage> PostErrorDocumentAsync(string path, string errorType, string errorDocument)
    {
        var content = new StringContent(errorDocument, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(RuntimeApiHeaders.ErrorContentType);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.Add(RuntimeApiHeaders.FunctionErrorType, errorType);
        return await http.SendAsync(request).WaitAsync(Patience);
    }
}

internal sealed record DeliveredInvocation(string RequestId, HttpResponseHeaders Headers, string? ContentType, byte[] Body)
{
    public string Header(string name) => Headers.GetValues(name).Single();

    public string? OptionalHeader(string name) => Headers.TryGetValues(name, out var values) ? values.Single() : null;

    public string BodyText => Encoding.UTF8.GetString(Body);
}
