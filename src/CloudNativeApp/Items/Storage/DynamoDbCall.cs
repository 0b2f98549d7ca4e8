using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;

namespace CloudNativeApp.Items.Storage;

internal static class DynamoDbCall
{
    /// <summary>
    /// Runs a store call under the configured deadline and turns every way DynamoDB can be unavailable
    /// (service errors, refused connections, timeouts, a frozen endpoint) into <see cref="ItemStoreUnavailableException"/>.
    /// A cancelled request stays a cancellation.
    /// </summary>
    public static async Task<T> RunAsync<T>(string tableName, TimeSpan timeout, Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        using var call = ItemStoreTelemetry.Start(tableName);
        try
        {
            return await RunUnobservedAsync(tableName, timeout, operation, cancellationToken);
        }
        catch (ItemStoreUnavailableException exception)
        {
            call?.Fail(exception, outage: true);
            throw;
        }
    }

    private static async Task<T> RunUnobservedAsync<T>(string tableName, TimeSpan timeout, Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            return await operation(deadline.Token);
        }
        catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ItemStoreUnavailableException($"DynamoDB did not answer within {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s.", exception);
        }
        catch (ResourceNotFoundException exception)
        {
            throw new ItemStoreUnavailableException($"The DynamoDB table '{tableName}' does not exist.", exception);
        }
        catch (Exception exception) when (exception is AmazonServiceException or AmazonClientException or HttpRequestException or TimeoutException or IOException)
        {
            throw new ItemStoreUnavailableException($"DynamoDB is unavailable: {exception.Message}", exception);
        }
    }
}
