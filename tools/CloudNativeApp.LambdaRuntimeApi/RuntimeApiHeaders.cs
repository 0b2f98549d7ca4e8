namespace CloudNativeApp.LambdaRuntimeApi;

/// <summary>Header names of the Lambda Runtime API (2018-06-01) and the Invoke API (2015-03-31).</summary>
public static class RuntimeApiHeaders
{
    public const string RequestId = "Lambda-Runtime-Aws-Request-Id";
    public const string DeadlineMs = "Lambda-Runtime-Deadline-Ms";
    public const string InvokedFunctionArn = "Lambda-Runtime-Invoked-Function-Arn";
    public const string TraceId = "Lambda-Runtime-Trace-Id";
    public const string ClientContext = "Lambda-Runtime-Client-Context";
    public const string CognitoIdentity = "Lambda-Runtime-Cognito-Identity";
    public const string FunctionErrorType = "Lambda-Runtime-Function-Error-Type";

    /// <summary>The content type of the error document a function posts.</summary>
    public const string ErrorContentType = "application/vnd.aws.lambda.error+json";

    public const string InvocationType = "X-Amz-Invocation-Type";
    public const string InvokeClientContext = "X-Amz-Client-Context";
    public const string FunctionError = "X-Amz-Function-Error";
    public const string ExecutedVersion = "X-Amz-Executed-Version";
    public const string AmznRequestId = "X-Amzn-RequestId";
    public const string AmznErrorType = "X-Amzn-ErrorType";
}
