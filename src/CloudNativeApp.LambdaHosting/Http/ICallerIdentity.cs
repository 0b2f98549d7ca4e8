namespace CloudNativeApp.LambdaHosting.Http;

/// <summary>
/// The caller as the event source vouched for it, handed to the request features by the translator that read the
/// event: the features make the user from it on first use, and most requests never ask.
/// </summary>
internal interface ICallerIdentity
{
    /// <returns>The authenticated principal, or null (the request is anonymous).</returns>
    ClaimsPrincipal? CreatePrincipal();
}
