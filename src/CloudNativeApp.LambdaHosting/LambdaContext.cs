using System.Globalization;

namespace CloudNativeApp.LambdaHosting;

/// <summary>One invocation's context: the Runtime API headers plus the function's environment.</summary>
public sealed class LambdaContext : ILambdaContext
{
    private readonly TimeProvider _time;

    public LambdaContext(string awsRequestId, DateTimeOffset deadline, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(awsRequestId);
        AwsRequestId = awsRequestId;
        Deadline = deadline;
        _time = timeProvider ?? TimeProvider.System;
    }

    public string AwsRequestId { get; }

    public DateTimeOffset Deadline { get; }

    public TimeSpan RemainingTime
    {
        get
        {
            var remaining = Deadline - _time.GetUtcNow();
            return remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero;
        }
    }

    public string InvokedFunctionArn { get; init; } = "";

    public string FunctionName { get; init; } = FunctionEnvironment.FunctionName;

    public string FunctionVersion { get; init; } = FunctionEnvironment.FunctionVersion;

    public int MemoryLimitInMB { get; init; } = FunctionEnvironment.MemoryLimitInMB;

    public string LogGroupName { get; init; } = FunctionEnvironment.LogGroupName;

    public string LogStreamName { get; init; } = FunctionEnvironment.LogStreamName;

    public string? TraceId { get; init; }

    public string? ClientContext { get; init; }

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
