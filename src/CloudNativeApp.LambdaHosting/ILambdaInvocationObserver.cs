namespace CloudNativeApp.LambdaHosting;

/// <summary>
/// Sees every real invocation (not SnapStart priming ones), registered as a singleton with
/// <c>services.AddSingleton&lt;ILambdaInvocationObserver, T&gt;()</c>. With none registered the server does no extra
/// work per invocation. For telemetry that must leave the process before Lambda freezes it.
/// </summary>
public interface ILambdaInvocationObserver
{
    /// <summary>
    /// Before the invocation runs, on its own async flow: an <c>AsyncLocal</c> set here is seen by this invocation's
    /// handler only, also when invocations run concurrently (Managed Instances).
    /// </summary>
    void InvocationStarting(ILambdaContext context);

    /// <summary>
    /// After the invocation's result (response or error) was posted and before the next <c>/next</c>: the caller has
    /// its response, and Lambda does not freeze the environment until the runtime asks for the next event, so work
    /// done here is not lost. It delays the next invocation (and is billed): keep it short and bounded.
    /// </summary>
    Task InvocationCompletedAsync(ILambdaContext context);
}
