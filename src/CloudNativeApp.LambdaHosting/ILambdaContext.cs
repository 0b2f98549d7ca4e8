namespace CloudNativeApp.LambdaHosting;

/// <summary>
/// The invocation's Lambda context: available as <c>HttpContext.Features.Get&lt;ILambdaContext&gt;()</c>,
/// <c>HttpContext.GetLambdaContext()</c>, or by injecting <see cref="ILambdaContext"/> when running in Lambda.
/// </summary>
public interface ILambdaContext
{
    /// <summary>The Lambda request id (<c>Lambda-Runtime-Aws-Request-Id</c>); also <c>HttpContext.TraceIdentifier</c>.</summary>
    string AwsRequestId { get; }

    /// <summary>The ARN the caller invoked (<c>Lambda-Runtime-Invoked-Function-Arn</c>), with the alias or version when one was named.</summary>
    string InvokedFunctionArn { get; }

    /// <summary>When Lambda stops the invocation; <c>HttpContext.RequestAborted</c> fires at this moment.</summary>
    DateTimeOffset Deadline { get; }

    /// <summary>The time left until <see cref="Deadline"/>; zero once it has passed.</summary>
    TimeSpan RemainingTime { get; }

    /// <summary>The function's name (<c>AWS_LAMBDA_FUNCTION_NAME</c>).</summary>
    string FunctionName { get; }

    /// <summary>The version being run (<c>AWS_LAMBDA_FUNCTION_VERSION</c>), e.g. <c>$LATEST</c>.</summary>
    string FunctionVersion { get; }

    /// <summary>The memory configured for the function (<c>AWS_LAMBDA_FUNCTION_MEMORY_SIZE</c>), in MB; 0 outside Lambda.</summary>
    int MemoryLimitInMB { get; }

    /// <summary>The CloudWatch Logs group the function writes to (<c>AWS_LAMBDA_LOG_GROUP_NAME</c>).</summary>
    string LogGroupName { get; }

    /// <summary>The CloudWatch Logs stream of this execution environment (<c>AWS_LAMBDA_LOG_STREAM_NAME</c>).</summary>
    string LogStreamName { get; }

    /// <summary>
    /// The X-Ray trace header (<c>Lambda-Runtime-Trace-Id</c>); null when Lambda sends none. Also the <c>X-Amzn-Trace-Id</c>
    /// request header and the parent of <c>Activity.Current</c>; set as <c>_X_AMZN_TRACE_ID</c> only when one invocation
    /// runs at a time (never with <c>AWS_LAMBDA_MAX_CONCURRENCY</c>).
    /// </summary>
    string? TraceId { get; }

    /// <summary>The mobile SDK client context as raw JSON, or null.</summary>
    string? ClientContext { get; }

    /// <summary>The Cognito identity as raw JSON, or null.</summary>
    string? CognitoIdentity { get; }
}
