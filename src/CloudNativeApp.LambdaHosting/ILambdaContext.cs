namespace CloudNativeApp.LambdaHosting;

/// <summary>
/// The invocation's Lambda context: available as <c>HttpContext.Features.Get&lt;ILambdaContext&gt;()</c>,
/// <c>HttpContext.GetLambdaContext()</c>, or by injecting <see cref="ILambdaContext"/> when running in Lambda.
/// </summary>
public interface ILambdaContext
{
    /// <summary>The Lambda request id (<c>Lambda-Runtime-Aws-Request-Id</c>); also <c>HttpContext.TraceIdentifier</c>.</summary>
    string AwsRequestId { get; }

    string InvokedFunctionArn { get; }

    /// <summary>When Lambda stops the invocation; <c>HttpContext.RequestAborted</c> fires at this moment.</summary>
    DateTimeOffset Deadline { get; }

    TimeSpan RemainingTime { get; }

    string FunctionName { get; }

    string FunctionVersion { get; }

    int MemoryLimitInMB { get; }

    string LogGroupName { get; }

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
