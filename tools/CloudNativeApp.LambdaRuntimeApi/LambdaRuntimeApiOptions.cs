using System.Net;

namespace CloudNativeApp.LambdaRuntimeApi;

/// <summary>How the local Runtime API presents itself and which limits it enforces.</summary>
public sealed class LambdaRuntimeApiOptions
{
    /// <summary>
    /// The largest event or function response Lambda accepts for a synchronous invocation
    /// (6 MB plus the 100 bytes of slack the real service allows).
    /// </summary>
    public const int DefaultMaxPayloadBytes = (6 * 1024 * 1024) + 100;

    /// <summary>The address Kestrel binds; loopback by default so nothing outside the machine can reach it.</summary>
    public IPAddress ListenAddress { get; set; } = IPAddress.Loopback;

    /// <summary>The TCP port; 0 picks a free one.</summary>
    public int Port { get; set; }

    public string FunctionName { get; set; } = "function";

    public string Region { get; set; } = "us-east-1";

    public string AccountId { get; set; } = "123456789012";

    /// <summary>The function's configured timeout: the deadline handed out with each invocation is delivery time plus this.</summary>
    public TimeSpan FunctionTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long after the deadline a response is still accepted. Lambda itself allows none (it freezes the
    /// sandbox); tests that want to see what a function does once its deadline fires can allow some.
    /// </summary>
    public TimeSpan DeadlineGracePeriod { get; set; } = TimeSpan.Zero;

    public int MaxPayloadBytes { get; set; } = DefaultMaxPayloadBytes;

    /// <summary>The largest streamed response Lambda accepts: 200 MB.</summary>
    public long MaxStreamedPayloadBytes { get; set; } = 200L * 1024 * 1024;

    /// <summary>Where the server logs (deliveries, responses, errors); none by default.</summary>
    public Action<Microsoft.Extensions.Logging.ILoggingBuilder>? ConfigureLogging { get; set; }

    /// <summary>
    /// Lambda Managed Instances: the <c>AWS_LAMBDA_MAX_CONCURRENCY</c> a function started by
    /// <see cref="LambdaFunctionProcess"/> gets (null: on demand, one invocation at a time). Any number of
    /// <c>/next</c> polls may wait at once either way; <see cref="LambdaRuntimeApiServer.MostConcurrentPolls"/> tells.
    /// </summary>
    public int? MaxConcurrency { get; set; }

    /// <summary>
    /// A SnapStart initialization: the function gets <c>AWS_LAMBDA_INITIALIZATION_TYPE=snap-start</c> and the
    /// <c>/restore/next</c> and <c>/restore/error</c> routes exist (404 otherwise, as in Lambda).
    /// </summary>
    public bool SnapStart { get; set; }

    /// <summary>How <c>/restore/next</c> answers once restored (the bad answers are for testing the runtime).</summary>
    public RestoreAnswer RestoreAnswer { get; set; } = RestoreAnswer.Restored;

    public string InvokedFunctionArn => $"arn:aws:lambda:{Region}:{AccountId}:function:{FunctionName}";
}
