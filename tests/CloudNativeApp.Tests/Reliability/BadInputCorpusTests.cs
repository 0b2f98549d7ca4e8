namespace CloudNativeApp.Tests.Reliability;

/// <summary>
/// Hundreds of hostile requests against every endpoint, on the real server (Kestrel on loopback, so body limits,
/// chunked bodies and raw paths behave as in production), against both item stores. Every failure is reported at
/// once, each with the request that caused it.
/// </summary>
[Collection(ReliabilityTests.Name)]
public sealed class BadInputCorpusTests
{
    private const int MinimumCorpusSize = 300;

    [Fact]
    public async Task The_in_memory_store_survives_the_corpus_unchanged()
    {
        await using var app = AppUnderTest.Start([new("Items:Store", "InMemory")]);
        await RunCorpusAsync(app);
    }

    [Fact]
    public async Task The_DynamoDB_store_on_dynalite_survives_the_corpus_unchanged()
    {
        // dynalite applies DynamoDB's own validation (key sizes, item size, expression syntax), which the in-memory store cannot.
        await using var dynalite = await DynaliteServer.StartNewAsync();
        await using var app = AppUnderTest.StartWithDynamoDb(dynalite.ServiceUrl, $"Corpus-{Guid.NewGuid():N}");
        await RunCorpusAsync(app);
    }

    private static async Task RunCorpusAsync(AppUnderTest app)
    {
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false, Expect100ContinueTimeout = TimeSpan.FromSeconds(30) })
        {
            BaseAddress = app.BaseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };
        await WaitUntilReadyAsync(http);

        var seed = await SeedAsync(http);
        var before = await SnapshotAsync(http, seed.Ids);
        var corpus = BadInputCorpus.Build(new BadInputCorpus.Seed(seed.Ids[0], seed.Version, seed.NextToken));
        Assert.True(corpus.Count >= MinimumCorpusSize, $"The corpus has only {corpus.Count} requests.");

        var failures = new List<string>();
        var created = new HashSet<string>(StringComparer.Ordinal);
        foreach (var request in corpus)
        {
            var (status, mediaType, body, location) = await SendAsync(http, app.BaseAddress, request, failures);
            if (status is null)
            {
                continue;
            }

            var problems = Check(request, status.Value, mediaType, body).ToList();
            if (request.PathAndQuery == $"/items/{seed.Ids[0]}" && request.Method != HttpMethod.Get && status < 300)
            {
                problems.Add($"changed the seeded item ({status})");
            }

            foreach (var problem in problems)
            {
                failures.Add($"{problem}\n      request:  {request}\n      response: {status} {mediaType} {Truncate(body, 300)}");
            }

            if (status == (int)HttpStatusCode.Created && location is not null)
            {
                created.Add(location[(location.LastIndexOf('/') + 1)..]);
            }
        }

        var after = await SnapshotAsync(http, seed.Ids);
        foreach (var id in seed.Ids)
        {
            if (before.Items[id] != after.Items[id])
            {
                failures.Add($"seeded item {id} changed:\n      before: {before.Items[id]}\n      after:  {after.Items[id]}");
            }
        }

        var expectedListing = before.Listed.Union(created).Order(StringComparer.Ordinal).ToList();
        var listing = after.Listed.Order(StringComparer.Ordinal).ToList();
        if (!expectedListing.SequenceEqual(listing))
        {
            failures.Add($"the listing changed beyond the {created.Count} items the corpus created: "
                + $"missing [{string.Join(", ", expectedListing.Except(listing))}], unexpected [{string.Join(", ", listing.Except(expectedListing))}]");
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {corpus.Count} corpus requests failed:\n  - {string.Join("\n  - ", failures)}");
    }

    /// <summary>The invariants every response must meet, and the status the contract promises when it promises one.</summary>
    private static IEnumerable<string> Check(CorpusRequest request, int status, string? mediaType, string body)
    {
        if (status >= 500)
        {
            yield return $"server error {status}";
        }

        if (request.RejectedByServer)
        {
            if (!request.Expected!.Contains(status) || body.Length > 0)
            {
                yield return $"expected Kestrel's own empty {request.Expected![0]}, got {status} with {body.Length} bytes";
            }

            yield break;
        }

        if (status is >= 400 and < 500)
        {
            if (mediaType != "application/problem+json")
            {
                yield return $"a {status} must be application/problem+json, was '{mediaType}'";
            }
            else if (!IsProblemFor(body, status))
            {
                yield return $"a {status} body must be a problem details object with status {status}";
            }
        }

        if (request.Expected is { } expected && !expected.Contains(status))
        {
            yield return $"expected {string.Join(" or ", expected)}, got {status}";
        }

        if (body.Contains("   at ", StringComparison.Ordinal) || body.Contains("Exception", StringComparison.Ordinal))
        {
            yield return "the body leaks an exception or stack trace";
        }
    }

    private static bool IsProblemFor(string body, int status)
    {
        try
        {
            return JsonNode.Parse(body) is JsonObject problem
                && problem["status"]?.GetValueKind() == JsonValueKind.Number
                && problem["status"]!.GetValue<int>() == status
                && problem["title"]?.GetValueKind() == JsonValueKind.String;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static async Task<(int? Status, string? MediaType, string Body, string? Location)> SendAsync(
        HttpClient http, Uri baseAddress, CorpusRequest request, List<string> failures)
    {
        using var message = request.ToHttpRequest(baseAddress);
        try
        {
            using var response = await http.SendAsync(message);
            var body = await response.Content.ReadAsStringAsync();
            return ((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, body, response.Headers.Location?.OriginalString);
        }
        catch (HttpRequestException exception)
        {
            failures.Add($"no HTTP response ({exception.Message})\n      request:  {request}");
            return (null, null, "", null);
        }
    }

    private sealed record SeededItems(IReadOnlyList<string> Ids, int Version, string NextToken);

    /// <summary>Items of every shape, so the corpus's targets and the listing have something to lose.</summary>
    private static async Task<SeededItems> SeedAsync(HttpClient http)
    {
        var expiresAt = DateTimeOffset.UtcNow.AddDays(30).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        string[] bodies =
        [
            "{\"name\":\"Seeded one\",\"description\":\"first\",\"category\":\"books\",\"tags\":[\"a\",\"b\"]}",
            $"{{\"name\":\"Seeded two 🚀\",\"expiresAt\":\"{expiresAt}\"}}",
            "{\"name\":\"Seeded three\",\"category\":\"tools\",\"tags\":[]}",
            "{\"name\":\"Seeded four\",\"description\":\"שלום\",\"category\":\"books\"}",
            "{\"name\":\"Seeded five\"}",
        ];
        var ids = new List<string>();
        var firstVersion = 0;
        foreach (var body in bodies)
        {
            using var response = await http.PostAsync("items", new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            var item = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            ids.Add(item["id"]!.GetValue<string>());
            if (ids.Count == 1)
            {
                firstVersion = item["version"]!.GetValue<int>();
            }
        }

        using var page = await http.GetAsync("items?limit=1");
        var nextToken = JsonNode.Parse(await page.Content.ReadAsStringAsync())!["nextToken"]?.GetValue<string>();
        Assert.False(string.IsNullOrEmpty(nextToken), "A listing of one item out of five must have a nextToken.");
        return new SeededItems(ids, firstVersion, nextToken!);
    }

    private sealed record Snapshot(IReadOnlyDictionary<string, string> Items, IReadOnlyList<string> Listed);

    /// <summary>Each seeded item as the API returns it (body and ETag), and every id the paged listing returns.</summary>
    private static async Task<Snapshot> SnapshotAsync(HttpClient http, IReadOnlyList<string> ids)
    {
        var items = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            using var response = await http.GetAsync($"items/{id}");
            items[id] = $"{(int)response.StatusCode} ETag {response.Headers.ETag} {await response.Content.ReadAsStringAsync()}";
        }

        var listed = new List<string>();
        string? nextToken = null;
        do
        {
            using var response = await http.GetAsync(nextToken is null ? "items?limit=7" : $"items?limit=7&nextToken={Uri.EscapeDataString(nextToken)}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            listed.AddRange(page["items"]!.AsArray().Select(item => item!["id"]!.GetValue<string>()));
            nextToken = page["nextToken"]?.GetValue<string>();
        }
        while (nextToken is not null);

        return new Snapshot(items, listed);
    }

    private static async Task WaitUntilReadyAsync(HttpClient http)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            using var response = await http.GetAsync("health/ready");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return;
            }

            await Task.Delay(200);
        }

        Assert.Fail("The app never reported ready.");
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : $"{text[..length]}…";
}
