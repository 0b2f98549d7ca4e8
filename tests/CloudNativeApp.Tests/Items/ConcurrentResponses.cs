namespace CloudNativeApp.Tests.Items;

/// <summary>
/// The responses to requests sent all at once, disposed together: also when an assertion fails before the test's
/// end, which a loop at the end of the test would skip.
/// </summary>
public sealed class ConcurrentResponses(HttpResponseMessage[] responses) : IDisposable
{
    public IReadOnlyList<HttpResponseMessage> All => responses;

    public static async Task<ConcurrentResponses> SendAsync(int count, Func<int, Task<HttpResponseMessage>> send) =>
        new(await Task.WhenAll(Enumerable.Range(0, count).Select(send)));

    public void Dispose()
    {
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }
}
