namespace CloudNativeApp.LambdaRuntimeApi;

/// <summary>One invocation as a caller of Lambda's Invoke API would describe it.</summary>
public sealed class InvocationRequest
{
    public InvocationRequest(ReadOnlyMemory<byte> payload) => Payload = payload;

    public InvocationRequest(string payload) => Payload = System.Text.Encoding.UTF8.GetBytes(payload);

    /// <summary>The event, passed to the function byte for byte.</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>The function timeout for this invocation; the server's <see cref="LambdaRuntimeApiOptions.FunctionTimeout"/> when null.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>The request id; a new GUID when null.</summary>
    public string? RequestId { get; init; }

    /// <summary>The X-Ray trace header (<c>Root=1-…;Parent=…;Sampled=0</c>); a fresh one when null.</summary>
    public string? TraceId { get; init; }

    /// <summary>The function ARN the caller used (e.g. with an alias); the server's unqualified ARN when null.</summary>
    public string? InvokedFunctionArn { get; init; }

    /// <summary>The mobile SDK client context, as JSON; sent as <c>Lambda-Runtime-Client-Context</c> when set.</summary>
    public string? ClientContext { get; init; }

    /// <summary>The Cognito identity, as JSON; sent as <c>Lambda-Runtime-Cognito-Identity</c> when set.</summary>
    public string? CognitoIdentity { get; init; }
}
