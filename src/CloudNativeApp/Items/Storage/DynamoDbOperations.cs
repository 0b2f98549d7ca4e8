namespace CloudNativeApp.Items.Storage;

/// <summary>
/// The names the store's telemetry gives DynamoDB calls, made once rather than per call: every call of the app is one
/// of a few operations, and its span name, operation tag and retry count would otherwise be a new string or box each.
/// </summary>
internal static class DynamoDbOperations
{
    private static readonly string[] Known =
        ["GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query", "Scan", "BatchGetItem", "BatchWriteItem", "DescribeTable", "CreateTable", "TransactWriteItems", "TransactGetItems"];

    private static readonly string[] SpanNames = [.. Known.Select(operation => $"DynamoDB.{operation}")];

    private static readonly object[] SmallCounts = [.. Enumerable.Range(0, 11).Select(count => (object)count)];

    /// <summary>The operation of an <c>X-Amz-Target</c> (<c>GetItem</c> of <c>DynamoDB_20120810.GetItem</c>); the known ones without a new string.</summary>
    public static string Name(ReadOnlySpan<char> operation)
    {
        foreach (var known in Known)
        {
            if (operation.SequenceEqual(known))
            {
                return known;
            }
        }

        return operation.ToString();
    }

    /// <summary>The call's span name, <c>DynamoDB.GetItem</c>.</summary>
    public static string SpanName(string operation)
    {
        var index = Array.IndexOf(Known, operation);
        return index >= 0 ? SpanNames[index] : $"DynamoDB.{operation}";
    }

    /// <summary>A retry count as a tag value, boxed once for the usual few.</summary>
    public static object Boxed(int count) => count < SmallCounts.Length ? SmallCounts[count] : count;
}
