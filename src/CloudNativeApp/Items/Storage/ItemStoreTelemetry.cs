using System.Diagnostics.Metrics;

namespace CloudNativeApp.Items.Storage;

/// <summary>
/// The items store's telemetry. A client span and a duration measurement per DynamoDB call, from the repository layer: AWSSDK.Core 4 has its own
/// telemetry hooks (<c>Amazon.Runtime.Telemetry</c>, no-op by default) but their OpenTelemetry bridge
/// (OpenTelemetry.Instrumentation.AWS) is not a package this build can use. The operation name, the attempt count
/// and the request id come from the HTTP requests the SDK sends for the call (<see cref="DynamoDbConnections"/>), so
/// retries inside the SDK are counted. Nothing is allocated when nothing listens.
/// </summary>
internal static class ItemStoreTelemetry
{
    /// <summary>The <see cref="ActivitySource"/> and <see cref="System.Diagnostics.Metrics.Meter"/> name.</summary>
    public const string SourceName = "CloudNativeApp.Items";

    private const string OperationHeader = "X-Amz-Target";

    private static readonly ActivitySource Source = new(SourceName);
    private static readonly Meter Meter = new(SourceName);
    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>(
        "db.client.operation.duration", "s", "Duration of DynamoDB calls, retries included.", advice: new() { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });

    private static readonly Counter<long> Outages = Meter.CreateCounter<long>("items.store.outages", "{outage}", "Store calls that failed because DynamoDB was unavailable (answered 503).");
    private static readonly Counter<long> Replays = Meter.CreateCounter<long>("items.idempotent_replays", "{replay}", "Item creations answered from an Idempotency-Key's first response.");

    private static readonly AsyncLocal<Call?> CurrentCall = new();

    // The app has one table: its name's array is made once, not on every recorded call.
    private static string[]? _tableNames;

    /// <summary>Null (and free) when neither a tracer nor a meter listener is interested.</summary>
    public static Call? Start(string tableName)
    {
        if (!Source.HasListeners() && !Duration.Enabled && !Outages.Enabled)
        {
            return null;
        }

        var activity = Source.StartActivity("DynamoDB", ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("db.system.name", "aws.dynamodb");
            activity.SetTag("rpc.system", "aws-api");
            activity.SetTag("rpc.service", "DynamoDB");
            activity.SetTag("aws.dynamodb.table_names", TableNamesOf(tableName));
        }

        var call = new Call(activity, Stopwatch.GetTimestamp());
        CurrentCall.Value = call;
        return call;
    }

    private static string[] TableNamesOf(string tableName)
    {
        var names = _tableNames;
        return names is [var cached] && string.Equals(cached, tableName, StringComparison.Ordinal) ? names : _tableNames = [tableName];
    }

    /// <summary>An idempotent <c>POST /items</c> answered with the first response.</summary>
    public static void RecordReplay() => Replays.Add(1);

    /// <summary>
    /// Called by the SDK's HTTP handler for every attempt; true when the call's span is recorded and so wants the
    /// response's request id (<see cref="OnResponse"/>). Otherwise (metrics alone, an unsampled span) the handler
    /// need not wait for the response itself.
    /// </summary>
    public static bool OnAttempt(HttpRequestMessage request)
    {
        if (CurrentCall.Value is not { } call)
        {
            return false;
        }

        call.Attempts++;
        // As sent (NonValidated): the SDK's own header, read without parsing it again or a LINQ enumerator.
        if (FirstValue(request.Headers, OperationHeader) is { } target)
        {
            // "DynamoDB_20120810.GetItem"
            call.Operation = DynamoDbOperations.Name(target.AsSpan(target.LastIndexOf('.') + 1));
        }

        return call.Activity is { IsAllDataRequested: true };
    }

    public static void OnResponse(HttpResponseMessage response)
    {
        if (CurrentCall.Value is { Activity: { IsAllDataRequested: true } activity } && FirstValue(response.Headers, "x-amzn-RequestId") is { } requestId)
        {
            activity.SetTag("aws.request_id", requestId);
        }
    }

    private static string? FirstValue(System.Net.Http.Headers.HttpHeaders headers, string name)
    {
        if (headers.NonValidated.TryGetValues(name, out var values))
        {
            foreach (var value in values)
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>Per-call state: the SDK's attempts run on the call's async flow, so an async-local finds it.</summary>
    internal sealed class Call(Activity? activity, long started) : IDisposable
    {
        public Activity? Activity { get; } = activity;

        public string? Operation { get; set; }

        public int Attempts { get; set; }

        public void Fail(Exception exception, bool outage)
        {
            var errorType = (exception.InnerException ?? exception).GetType().Name;
            Activity?.SetStatus(ActivityStatusCode.Error, exception.Message);
            Activity?.SetTag("error.type", errorType);
            if (outage)
            {
                Outages.Add(1, new KeyValuePair<string, object?>("error.type", errorType));
            }
        }

        public void Dispose()
        {
            var operation = Operation ?? "unknown";
            if (Activity is { } activity)
            {
                if (activity.IsAllDataRequested)
                {
                    activity.DisplayName = DynamoDbOperations.SpanName(operation);
                    activity.SetTag("db.operation.name", operation);
                    activity.SetTag("rpc.method", operation);
                    activity.SetTag("aws.dynamodb.retries", DynamoDbOperations.Boxed(Math.Max(0, Attempts - 1)));
                }

                activity.Dispose();
            }

            if (Duration.Enabled)
            {
                Duration.Record(
                    Stopwatch.GetElapsedTime(started).TotalSeconds,
                    new KeyValuePair<string, object?>("db.system.name", "aws.dynamodb"),
                    new KeyValuePair<string, object?>("db.operation.name", operation),
                    new KeyValuePair<string, object?>("error.type", Activity?.GetTagItem("error.type")));
            }
        }
    }
}
