using System.Collections;

namespace CloudNativeApp.LambdaHosting.Logging;

/// <summary>
/// The logging scope of one invocation: every log line written during it carries <c>AwsRequestId</c> and, when
/// Lambda traces it, <c>AwsTraceId</c>. Async-local like every scope, so concurrent invocations never see each other's.
/// </summary>
internal sealed class LambdaRequestScope(string awsRequestId, string? traceId = null) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public const string Key = "AwsRequestId";
    public const string TraceKey = "AwsTraceId";

    public string AwsRequestId { get; } = awsRequestId;

    public string? TraceId { get; } = traceId;

    public int Count => TraceId is null ? 1 : 2;

    public KeyValuePair<string, object?> this[int index] => index switch
    {
        0 => new(Key, AwsRequestId),
        1 when TraceId is not null => new(TraceKey, TraceId),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => TraceId is null ? $"{Key}:{AwsRequestId}" : $"{Key}:{AwsRequestId} {TraceKey}:{TraceId}";
}
