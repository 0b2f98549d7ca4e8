namespace CloudNativeApp.Web.Tests;

/// <summary>A page in its own browser context that records what would show up as errors in the developer tools.</summary>
public sealed class BrowserPage : IAsyncDisposable
{
    private readonly List<string> problems = [];

    public BrowserPage(IBrowserContext context, IPage page)
    {
        Context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (problems)
                {
                    problems.Add($"console error: {message.Text}");
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (problems)
            {
                problems.Add($"uncaught: {error}");
            }
        };
        page.RequestFailed += (_, request) =>
        {
            lock (problems)
            {
                problems.Add($"request failed: {request.Method} {request.Url} {request.Failure}");
            }
        };
        page.Response += (_, response) =>
        {
            // Asset and page requests must all succeed; API error statuses are part of the tested behaviour.
            if (response.Status >= 400 && response.Request.ResourceType is not ("fetch" or "xhr"))
            {
                lock (problems)
                {
                    problems.Add($"{response.Status} for {response.Request.ResourceType} {response.Url}");
                }
            }
        };
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    public Task GotoAsync(Uri url) => Page.GotoAsync(url.ToString(), new PageGotoOptions { WaitUntil = WaitUntilState.Load });

    /// <summary>
    /// Fails on uncaught exceptions, console errors, failed asset requests. Chromium itself logs every fetch that
    /// gets a 4xx as "Failed to load resource"; tests that provoke those on purpose name the statuses they expect.
    /// </summary>
    public void AssertNoErrors(params int[] expectedApiStatuses)
    {
        string[] unexpected;
        lock (problems)
        {
            unexpected = problems
                .Where(problem => !expectedApiStatuses.Any(status =>
                    problem.StartsWith($"console error: Failed to load resource: the server responded with a status of {status}", StringComparison.Ordinal)))
                .ToArray();
        }

        Assert.True(unexpected.Length == 0, "The page reported errors:\n" + string.Join('\n', unexpected));
    }

    public async ValueTask DisposeAsync() => await Context.CloseAsync();
}
