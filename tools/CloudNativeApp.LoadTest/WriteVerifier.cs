using System.Collections.Concurrent;
using System.Text.Json;

namespace CloudNativeApp.LoadTest;

/// <summary>Reads every item back through the API and checks it against what was acknowledged.</summary>
internal sealed class WriteVerifier(HttpClient http)
{
    private const int Attempts = 20;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(500);

    public async Task<VerificationResult> VerifyAsync(IReadOnlyCollection<ItemHistory> items, int unknownCreates, CancellationToken cancellationToken)
    {
        var lost = new ConcurrentBag<string>();
        var readable = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (item, token) =>
        {
            var stored = await ReadAsync(item.Id, token);
            if (stored is not null)
            {
                readable.Add(item.Id);
            }

            if (item.Explain(stored) is { } problem)
            {
                lost.Add($"item {item.Id}: {problem}");
            }
        });

        var (listed, listingProblems) = await ListEverythingAsync(cancellationToken);
        var known = items.Select(item => item.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var id in readable.Where(id => !listed.Contains(id)))
        {
            listingProblems.Add($"item {id} is readable but missing from GET /items");
        }

        return new VerificationResult
        {
            ItemsChecked = items.Count,
            AcknowledgedWrites = items.Sum(item => item.AcknowledgedWrites),
            LostWrites = [.. lost.Order(StringComparer.Ordinal)],
            Orphans = listed.Count(id => !known.Contains(id)),
            UnknownCreates = unknownCreates,
            ListingProblems = listingProblems,
        };
    }

    private async Task<ItemState?> ReadAsync(string id, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var response = await http.GetAsync($"items/{Uri.EscapeDataString(id)}", cancellationToken);
            switch (response.StatusCode)
            {
                case HttpStatusCode.OK:
                    return ItemState.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
                case HttpStatusCode.NotFound:
                    return null;
                case HttpStatusCode.ServiceUnavailable when attempt < Attempts:
                    await Task.Delay(RetryDelay, cancellationToken);
                    break;
                default:
                    throw new InvalidOperationException($"Reading back item {id} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
            }
        }
    }

    /// <summary>Follows nextToken over every page of an unfiltered listing: each item must appear exactly once.</summary>
    private async Task<(HashSet<string> Ids, List<string> Problems)> ListEverythingAsync(CancellationToken cancellationToken)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var problems = new List<string>();
        string? nextToken = null;
        var pages = 0;
        do
        {
            var query = nextToken is null ? "items?limit=100" : $"items?limit=100&nextToken={Uri.EscapeDataString(nextToken)}";
            using var response = await http.GetAsync(query, cancellationToken);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                problems.Add($"GET /{query} returned {(int)response.StatusCode}");
                break;
            }

            var page = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!.AsObject();
            foreach (var item in page["items"]!.AsArray())
            {
                var id = item!["id"]!.GetValue<string>();
                if (!ids.Add(id))
                {
                    problems.Add($"item {id} appeared twice while paging");
                }
            }

            nextToken = page["nextToken"]?.GetValueKind() == JsonValueKind.String ? page["nextToken"]!.GetValue<string>() : null;
            if (++pages > 100_000)
            {
                problems.Add("paging did not end after 100000 pages");
                break;
            }
        }
        while (nextToken is not null);

        return (ids, problems);
    }
}
