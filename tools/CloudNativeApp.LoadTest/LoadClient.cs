using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;

namespace CloudNativeApp.LoadTest;

/// <summary>
/// One virtual user: it owns the items it creates (so the expected state of each is exactly known), and mixes
/// creates, reads, lists, PUTs with If-Match, merge-PATCHes (with and without If-Match) and deletes.
/// </summary>
internal sealed class LoadClient(HttpClient http, Random random, Stopwatch clock, RequestBudget budget)
{
    private const string MergePatchJson = "application/merge-patch+json";
    private static readonly string[] Categories = ["books", "tools", "garden-2", "music_x"];
    private static readonly string[] TagPool = ["red", "green", "blue", "sale", "new", "eco", "π", "日本", "🚀", "a-b_c"];
    private static readonly string[] NameParts = ["Widget", "Gadget", "Crème brûlée", "Ünïcödé", "東京", "🚀 rocket", "שלום", "x"];
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMilliseconds(500);

    private readonly List<ItemHistory> live = [];

    public List<ItemHistory> Items { get; } = [];

    public List<RequestRecord> Requests { get; } = [];

    /// <summary>Responses that acknowledged a write but described something other than what was written.</summary>
    public List<string> IncorrectResponses { get; } = [];

    /// <summary>Reads that did not return the last acknowledged state although nothing unknown happened since.</summary>
    public List<string> ReadMismatches { get; } = [];

    /// <summary>Creates whose outcome is unknown: each may have left an item nobody knows the id of.</summary>
    public int UnknownCreates { get; private set; }

    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested && budget.TryTake())
        {
            try
            {
                await StepAsync(stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private Task StepAsync(CancellationToken stop)
    {
        live.RemoveAll(item => !item.IsLive);
        if (live.Count < 4 || random.NextDouble() < 0.15)
        {
            return CreateAsync(stop);
        }

        var item = live[random.Next(live.Count)];
        if (item.NeedsResync)
        {
            return ResyncAsync(item, stop);
        }

        return random.NextDouble() switch
        {
            < 0.35 => ReadAsync(item, stop),
            < 0.45 => ListAsync(stop),
            < 0.70 => ReplaceAsync(item, stop),
            < 0.92 => PatchAsync(item, stop),
            _ => DeleteAsync(item, stop),
        };
    }

    private async Task CreateAsync(CancellationToken stop)
    {
        var content = NewContent();
        var (status, body, retryAfter) = await SendAsync(Operation.Create, Expectation.Success, HttpMethod.Post, "items", Json(content.ToJson()), null);
        if (status == (int)HttpStatusCode.Created)
        {
            var created = ItemState.Parse(body!);
            CheckAcknowledged(Operation.Create, created, content, newerThan: null);
            var history = new ItemHistory(created);
            Items.Add(history);
            live.Add(history);
        }
        else if (IsUnknownOutcome(status))
        {
            UnknownCreates++;
            await BackOffAsync(retryAfter, stop);
        }
    }

    private async Task ReadAsync(ItemHistory item, CancellationToken stop)
    {
        var expectation = item.UnknownSinceLastAck.Count == 0 ? Expectation.Success : Expectation.SuccessOrStale;
        var (status, body, retryAfter) = await SendAsync(Operation.Read, expectation, HttpMethod.Get, $"items/{item.Id}", null, null);
        if (status == (int)HttpStatusCode.OK && expectation == Expectation.Success)
        {
            var read = ItemState.Parse(body!);
            if (!read.SameStoredStateAs(item.LastAcknowledged))
            {
                ReadMismatches.Add($"GET /items/{item.Id} returned {read}; last acknowledged {item.LastAcknowledged}");
            }
        }
        else if (status == (int)HttpStatusCode.NotFound && expectation == Expectation.Success)
        {
            ReadMismatches.Add($"GET /items/{item.Id} returned 404; last acknowledged {item.LastAcknowledged}");
        }
        else if (IsUnknownOutcome(status))
        {
            await BackOffAsync(retryAfter, stop);
        }
    }

    private async Task ListAsync(CancellationToken stop)
    {
        var limit = random.Next(1, 101);
        var query = random.NextDouble() < 0.5 ? $"items?limit={limit}" : $"items?limit={limit}&category={Categories[random.Next(Categories.Length)]}";
        var (status, _, retryAfter) = await SendAsync(Operation.List, Expectation.Success, HttpMethod.Get, query, null, null);
        if (IsUnknownOutcome(status))
        {
            await BackOffAsync(retryAfter, stop);
        }
    }

    private async Task ResyncAsync(ItemHistory item, CancellationToken stop)
    {
        var (status, body, retryAfter) = await SendAsync(Operation.Resync, Expectation.SuccessOrStale, HttpMethod.Get, $"items/{item.Id}", null, null);
        if (status == (int)HttpStatusCode.OK)
        {
            item.Resynced(ItemState.Parse(body!));
        }
        else if (status == (int)HttpStatusCode.NotFound)
        {
            item.Resynced(null);
        }
        else if (IsUnknownOutcome(status))
        {
            await BackOffAsync(retryAfter, stop);
        }
    }

    private async Task ReplaceAsync(ItemHistory item, CancellationToken stop)
    {
        var content = NewContent();
        var baseVersion = item.Current.Version;
        var (status, body, retryAfter) = await SendAsync(
            Operation.Replace, ExpectationFor(item), HttpMethod.Put, $"items/{item.Id}", Json(content.ToJson()), baseVersion);
        await HandleUpdateAsync(item, Operation.Replace, status, body, retryAfter, content, baseVersion, stop);
    }

    private async Task PatchAsync(ItemHistory item, CancellationToken stop)
    {
        var patch = NewPatch();
        var content = item.Current.Content.ApplyMergePatch(patch);
        var baseVersion = item.Current.Version;
        var withIfMatch = random.NextDouble() < 0.5;
        using var request = new StringContent(patch.ToJsonString(), Encoding.UTF8);
        request.Headers.ContentType = new MediaTypeHeaderValue(MergePatchJson);
        var (status, body, retryAfter) = await SendAsync(
            Operation.Patch, ExpectationFor(item), HttpMethod.Patch, $"items/{item.Id}", request, withIfMatch ? baseVersion : null);
        await HandleUpdateAsync(item, Operation.Patch, status, body, retryAfter, content, baseVersion, stop);
    }

    private async Task HandleUpdateAsync(
        ItemHistory item, Operation operation, int status, string? body, TimeSpan? retryAfter, ItemContent content, long baseVersion, CancellationToken stop)
    {
        if (status == (int)HttpStatusCode.OK)
        {
            var updated = ItemState.Parse(body!);
            CheckAcknowledged(operation, updated, content, newerThan: baseVersion);
            item.Acknowledge(updated);
        }
        else if (status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.NotFound)
        {
            item.MarkStale();
        }
        else if (IsUnknownOutcome(status))
        {
            item.RecordUnknown(new UnknownWrite(WriteKind.Update, content, baseVersion));
            await BackOffAsync(retryAfter, stop);
        }
    }

    private async Task DeleteAsync(ItemHistory item, CancellationToken stop)
    {
        var baseVersion = item.Current.Version;
        var (status, _, retryAfter) = await SendAsync(Operation.Delete, ExpectationFor(item), HttpMethod.Delete, $"items/{item.Id}", null, baseVersion);
        if (status == (int)HttpStatusCode.NoContent)
        {
            item.AcknowledgeDelete();
        }
        else if (status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.NotFound)
        {
            item.MarkStale();
        }
        else if (IsUnknownOutcome(status))
        {
            item.RecordUnknown(new UnknownWrite(WriteKind.Delete, null, baseVersion));
            await BackOffAsync(retryAfter, stop);
        }
    }

    private async Task<(int Status, string? Body, TimeSpan? RetryAfter)> SendAsync(
        Operation operation, Expectation expectation, HttpMethod method, string path, HttpContent? content, long? ifMatch)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (ifMatch is { } version)
        {
            request.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{version.ToString(CultureInfo.InvariantCulture)}\""));
        }

        // A request in flight when the run ends is allowed to finish: cancelling it would turn an acknowledged
        // write into an unknown one (and the harness could then not tell a lost write from an unobserved one).
        var start = clock.Elapsed;
        try
        {
            using var response = await http.SendAsync(request, CancellationToken.None);
            var body = await response.Content.ReadAsStringAsync(CancellationToken.None);
            Requests.Add(new RequestRecord(operation, start, clock.Elapsed - start, (int)response.StatusCode, expectation));
            var retryAfter = response.Headers.RetryAfter?.Delta;
            return ((int)response.StatusCode, body, retryAfter);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            // No HTTP answer (connection dropped, client timeout): as unknown as a 503, and an error of the app.
            Requests.Add(new RequestRecord(operation, start, clock.Elapsed - start, RequestRecord.NoResponse, expectation));
            return (RequestRecord.NoResponse, null, null);
        }
    }

    private void CheckAcknowledged(Operation operation, ItemState acknowledged, ItemContent written, long? newerThan)
    {
        if (!acknowledged.SameContentAs(written) || (newerThan is { } version && acknowledged.Version <= version))
        {
            IncorrectResponses.Add($"{operation} acknowledged {acknowledged} for {written.ToJson()} (expected a version after {newerThan?.ToString(CultureInfo.InvariantCulture) ?? "none"})");
        }
    }

    private static Expectation ExpectationFor(ItemHistory item) =>
        item.UnknownSinceLastAck.Count == 0 ? Expectation.Success : Expectation.SuccessOrStale;

    private static bool IsUnknownOutcome(int status) => status is RequestRecord.NoResponse or >= 500;

    // Sooner than a long Retry-After on purpose: the harness wants to observe the outage and the recovery densely.
    private Task BackOffAsync(TimeSpan? retryAfter, CancellationToken stop)
    {
        var wait = retryAfter is { } hint && hint < MaxBackoff ? hint : MaxBackoff;
        return Task.Delay(wait * (0.5 + random.NextDouble() / 2), stop);
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private ItemContent NewContent() => new(
        Name: $"{NameParts[random.Next(NameParts.Length)]} {random.Next(1_000_000).ToString(CultureInfo.InvariantCulture)}",
        Description: random.NextDouble() < 0.3 ? null : new string('d', random.Next(1, 300)),
        Category: random.NextDouble() < 0.2 ? null : Categories[random.Next(Categories.Length)],
        Tags: random.NextDouble() < 0.3 ? null : TagPool.OrderBy(_ => random.Next()).Take(random.Next(0, 5)).ToArray(),
        ExpiresAt: random.NextDouble() < 0.2 ? WholeSeconds(DateTimeOffset.UtcNow.AddDays(7)) : null);

    private JsonObject NewPatch()
    {
        var patch = new JsonObject();
        while (patch.Count == 0)
        {
            if (random.NextDouble() < 0.5)
            {
                patch["name"] = $"patched {random.Next(1_000_000).ToString(CultureInfo.InvariantCulture)}";
            }

            if (random.NextDouble() < 0.4)
            {
                patch["description"] = random.NextDouble() < 0.5 ? null : $"patched description {random.Next()}";
            }

            if (random.NextDouble() < 0.3)
            {
                patch["tags"] = random.NextDouble() < 0.3 ? null : new JsonArray(TagPool.OrderBy(_ => random.Next()).Take(random.Next(0, 4)).Select(tag => (JsonNode)tag).ToArray());
            }

            if (random.NextDouble() < 0.2)
            {
                patch["category"] = Categories[random.Next(Categories.Length)];
            }
        }

        return patch;
    }

    // Expiry is stored as epoch seconds (DynamoDB TTL), so the harness only writes whole seconds.
    private static DateTimeOffset WholeSeconds(DateTimeOffset instant) => DateTimeOffset.FromUnixTimeSeconds(instant.ToUnixTimeSeconds());
}

/// <summary>The run's request bound, shared by every client.</summary>
internal sealed class RequestBudget(int max)
{
    private int taken;

    public int Taken => Volatile.Read(ref taken);

    public bool TryTake() => Interlocked.Increment(ref taken) <= max;
}
