using System.Text;

namespace CloudNativeApp.LoadTest;

/// <summary>When dynalite was killed and when it accepted connections again, on the run clock.</summary>
public sealed record FaultTimeline(TimeSpan KilledAt, TimeSpan RestoredAt);

/// <summary>What the read-back after the run found.</summary>
public sealed record VerificationResult
{
    public int ItemsChecked { get; init; }

    public int AcknowledgedWrites { get; init; }

    public IReadOnlyList<string> LostWrites { get; init; } = [];

    /// <summary>Items in the table no acknowledged create accounts for (allowed: at most one per unknown create).</summary>
    public int Orphans { get; init; }

    public int UnknownCreates { get; init; }

    /// <summary>Listing every page must return each item exactly once.</summary>
    public IReadOnlyList<string> ListingProblems { get; init; } = [];
}

public sealed class LoadTestReport
{
    public required LoadTestOptions Options { get; init; }

    public required TimeSpan Elapsed { get; init; }

    public required IReadOnlyList<RequestRecord> Requests { get; init; }

    public required VerificationResult Verification { get; init; }

    public required IReadOnlyList<string> IncorrectResponses { get; init; }

    public required IReadOnlyList<string> ReadMismatches { get; init; }

    public FaultTimeline? Fault { get; init; }

    public double RequestsPerSecond => Requests.Count / Elapsed.TotalSeconds;

    public IEnumerable<RequestRecord> Successes => Requests.Where(request => request.Succeeded);

    /// <summary>503s that overlap the outage (from the kill until the allowed recovery after the restart): expected, not errors.</summary>
    public IReadOnlyList<RequestRecord> Outage503s => Requests.Where(IsOutage503).ToList();

    /// <summary>Every response that is neither a success, an expected stale answer after an unknown outcome, nor an outage 503.</summary>
    public IReadOnlyList<RequestRecord> Errors => Requests.Where(request => !request.Succeeded && !request.IsExpectedStale && !IsOutage503(request)).ToList();

    /// <summary>From dynalite accepting connections again until the last failed request ended (zero if none failed after it).</summary>
    public TimeSpan? RecoveryTime => Fault is null
        ? null
        : Requests.Where(request => request.Status is 503 or RequestRecord.NoResponse && request.End >= Fault.KilledAt)
            .Select(request => request.End - Fault.RestoredAt)
            .DefaultIfEmpty(TimeSpan.Zero)
            .Max() is var recovery && recovery > TimeSpan.Zero ? recovery : TimeSpan.Zero;

    /// <summary>From the first to the last failed request around the fault: the outage as clients saw it.</summary>
    public (TimeSpan From, TimeSpan To)? ObservedOutage => Fault is null || !Requests.Any(IsOutageFailure)
        ? null
        : (Requests.Where(IsOutageFailure).Min(request => request.Start), Requests.Where(IsOutageFailure).Max(request => request.End));

    public int SuccessesAfterRecovery => Fault is null || RecoveryTime is not { } recovery
        ? 0
        : Successes.Count(request => request.Start >= Fault.RestoredAt + recovery);

    public IReadOnlyList<string> Failures
    {
        get
        {
            var failures = new List<string>();
            if (Verification.LostWrites.Count > 0)
            {
                failures.Add($"{Verification.LostWrites.Count} acknowledged write(s) lost, e.g. {Verification.LostWrites[0]}");
            }

            if (Verification.Orphans > Verification.UnknownCreates)
            {
                failures.Add($"{Verification.Orphans} item(s) in the table that no create accounts for (only {Verification.UnknownCreates} creates had unknown outcomes)");
            }

            failures.AddRange(Verification.ListingProblems.Take(5).Select(problem => $"listing: {problem}"));
            if (Errors is { Count: > 0 } errors)
            {
                failures.Add($"{errors.Count} error response(s): {FormatCounts(errors)}; first: {Describe(errors[0])}");
            }

            failures.AddRange(IncorrectResponses.Take(5).Select(problem => $"incorrect acknowledgement: {problem}"));
            failures.AddRange(ReadMismatches.Take(5).Select(problem => $"read mismatch: {problem}"));
            if (!Successes.Any(request => request.Operation != Operation.List))
            {
                failures.Add("no request succeeded");
            }

            if (Fault is not null)
            {
                if (Outage503s.Count == 0)
                {
                    failures.Add("no request got a 503 during the outage, so the fault was not observed");
                }
                else if (Percentile(Outage503s, 0.99) > Options.Allowed503Latency)
                {
                    failures.Add($"503s were slow: p99 {Ms(Percentile(Outage503s, 0.99))} > {Ms(Options.Allowed503Latency)}");
                }

                if (RecoveryTime > Options.AllowedRecovery)
                {
                    failures.Add($"recovery took {Ms(RecoveryTime!.Value)} > {Ms(Options.AllowedRecovery)}");
                }

                if (SuccessesAfterRecovery == 0)
                {
                    failures.Add("no request succeeded after dynalite came back");
                }
            }

            return failures;
        }
    }

    public bool Passed => Failures.Count == 0;

    public override string ToString()
    {
        var successes = Successes.ToList();
        var text = new StringBuilder();
        var culture = CultureInfo.InvariantCulture;
        text.AppendLine(culture, $"Load test: {Options.Clients} clients, {Elapsed.TotalSeconds:F1} s, seed {Options.Seed}{(Fault is null ? "" : ", with fault injection")}");
        text.AppendLine(culture, $"  requests        {Requests.Count} ({RequestsPerSecond:F0}/s); by operation: {string.Join(", ", Requests.GroupBy(r => r.Operation).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}"))}");
        text.AppendLine(culture, $"  latency (2xx)   p50 {Ms(Percentile(successes, 0.50))}, p99 {Ms(Percentile(successes, 0.99))}, max {Ms(Percentile(successes, 1))}");
        text.AppendLine(culture, $"  statuses        {FormatCounts(Requests)}");
        text.AppendLine(culture, $"  errors          {Errors.Count}{(Errors.Count == 0 ? "" : $" ({FormatCounts(Errors)})")}");
        if (Fault is not null)
        {
            var outage = Outage503s;
            var fault = Options.FreezeInsteadOfKill
                ? $"dynalite frozen (SIGSTOP) at {Ms(Fault.KilledAt)}, continued (SIGCONT) at {Ms(Fault.RestoredAt)}"
                : $"dynalite SIGKILLed at {Ms(Fault.KilledAt)}, accepting connections again at {Ms(Fault.RestoredAt)}";
            text.AppendLine(culture, $"  fault           {fault}");
            text.AppendLine(culture, $"  outage 503s     {outage.Count}; latency p50 {Ms(Percentile(outage, 0.50))}, p99 {Ms(Percentile(outage, 0.99))}, max {Ms(Percentile(outage, 1))}");
            if (ObservedOutage is var (from, to))
            {
                text.AppendLine(culture, $"  seen by clients failures from {Ms(from)} to {Ms(to)} ({Ms(to - from)})");
            }

            text.AppendLine(culture, $"  recovery        {Ms(RecoveryTime ?? TimeSpan.Zero)} after dynalite was back; {SuccessesAfterRecovery} successful requests after that, {Errors.Count(request => request.Start >= Fault.RestoredAt + (RecoveryTime ?? TimeSpan.Zero))} errors");
        }

        text.AppendLine(culture, $"  verification    {Verification.ItemsChecked} items read back, {Verification.AcknowledgedWrites} acknowledged writes, lost writes: {Verification.LostWrites.Count}");
        text.AppendLine(culture, $"  unknown outcome {Verification.UnknownCreates} creates (orphans found: {Verification.Orphans}); incorrect acknowledgements: {IncorrectResponses.Count}; read mismatches: {ReadMismatches.Count}");
        var failures = Failures;
        text.AppendLine(failures.Count == 0 ? "  result          PASSED" : "  result          FAILED");
        foreach (var failure in failures)
        {
            text.AppendLine(culture, $"    - {failure}");
        }

        return text.ToString();
    }

    public static TimeSpan Percentile(IReadOnlyCollection<RequestRecord> requests, double percentile)
    {
        if (requests.Count == 0)
        {
            return TimeSpan.Zero;
        }

        var sorted = requests.Select(request => request.Duration).Order().ToList();
        var index = (int)Math.Ceiling(percentile * sorted.Count) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Count - 1)];
    }

    private bool IsOutageFailure(RequestRecord request) =>
        request.Status is 503 or RequestRecord.NoResponse && request.End >= Fault!.KilledAt;

    private bool IsOutage503(RequestRecord request) =>
        Fault is not null
        && request.Status == 503
        && request.End >= Fault.KilledAt
        && request.Start <= Fault.RestoredAt + Options.AllowedRecovery;

    private static string FormatCounts(IEnumerable<RequestRecord> requests) =>
        string.Join(", ", requests.GroupBy(request => request.Status).OrderBy(group => group.Key)
            .Select(group => $"{(group.Key == RequestRecord.NoResponse ? "no response" : group.Key.ToString(CultureInfo.InvariantCulture))}: {group.Count()}"));

    private static string Describe(RequestRecord request) =>
        $"{request.Operation} at {Ms(request.Start)} → {(request.Status == RequestRecord.NoResponse ? "no response" : request.Status.ToString(CultureInfo.InvariantCulture))} after {Ms(request.Duration)}";

    private static string Ms(TimeSpan time) => $"{time.TotalMilliseconds.ToString("F0", CultureInfo.InvariantCulture)} ms";
}
