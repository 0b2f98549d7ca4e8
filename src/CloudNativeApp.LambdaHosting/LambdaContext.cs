namespace CloudNativeApp.LambdaHosting;

/// <summary>One invocation's context: the Runtime API headers plus the function's environment.</summary>
public sealed class LambdaContext : ILambdaContext
{
    private readonly TimeProvider _time;

    /// <summary>A context for one invocation; the function's environment is read from Lambda's reserved variables.</summary><param name="awsRequestId">The Lambda request id.</param><param name="deadline">When Lambda stops the invocation.</param><param name="timeProvider">The clock for <see cref="RemainingTime"/>; the system clock by default.</param>
    public LambdaContext(string awsRequestId, DateTimeOffset deadline, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(awsRequestId);
        AwsRequestId = awsRequestId;
        Deadline = deadline;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc/>
    public string AwsRequestId { get; }

    /// <inheritdoc/>
    public DateTimeOffset Deadline { get; }

    /// <inheritdoc/>
    public TimeSpan RemainingTime
    {
        get
        {
            var remaining = Deadline - _time.GetUtcNow();
            return remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero;
        }
    }

    /// <inheritdoc/>
    public string InvokedFunctionArn { get; init; } = "";

    /// <inheritdoc/>
    public string FunctionName { get; init; } = FunctionEnvironment.FunctionName;

    /// <inheritdoc/>
    public string FunctionVersion { get; init; } = FunctionEnvironment.FunctionVersion;

    /// <inheritdoc/>
    public int MemoryLimitInMB { get; init; } = FunctionEnvironment.MemoryLimitInMB;

    /// <inheritdoc/>
    public string LogGroupName { get; init; } = FunctionEnvironment.LogGroupName;

    /// <inheritdoc/>
    public string LogStreamName { get; init; } = FunctionEnvironment.LogStreamName;

    /// <inheritdoc/>
    public string? TraceId { get; init; }

    /// <inheritdoc/>
    public string? ClientContext { get; init; }

    /// <inheritdoc/>
    public string? CognitoIdentity { get; init; }

    /// <summary>The reserved environment variables Lambda sets; read once, they never change in an execution environment.</summary>
    private static class FunctionEnvironment
    {
        public static readonly string FunctionName = Environment.GetEnvironmentVariable("AWS_LAMBDA_FUNCTION_NAME") ?? "";
        public static readonly string FunctionVersion = Environment.GetEnvironmentVariable("AWS_LAMBDA_FUNCTION_VERSION") ?? "";
        public static readonly string LogGroupName = Environment.GetEnvironmentVariable("AWS_LAMBDA_LOG_GROUP_NAME") ?? "";
        public static readonly string LogStreamName = Environment.GetEnvironmentVariable("AWS_LAMBDA_LOG_STREAM_NAME") ?? "";
        public static readonly int MemoryLimitInMB =
            int.TryParse(Environment.GetEnvironmentVariable("AWS_LAMBDA_FUNCTION_MEMORY_SIZE"), NumberStyles.None, CultureInfo.InvariantCulture, out var size) ? size : 0;
    }
}
