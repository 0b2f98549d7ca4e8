using System.Collections;

namespace CloudNativeApp.LambdaHosting.Logging;

/// <summary>The logging scope of one invocation: every log line written during it carries <c>AwsRequestId</c>.</summary>
internal sealed class LambdaRequestScope(string awsRequestId) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public const string Key = "AwsRequestId";

    public string AwsRequestId { get; } = awsRequestId;

    public int Count => 1;

    public KeyValuePair<string, object?> this[int index] =>
        index == 0 ? new(Key, AwsRequestId) : throw new ArgumentOutOfRangeException(nameof(index));

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        yield return this[0];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => $"{Key}:{AwsRequestId}";
}
