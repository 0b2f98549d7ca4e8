namespace CloudNativeApp.LambdaHosting;

/// <summary>The <c>errorType</c> values the hosting layer itself reports.</summary>
public static class LambdaErrorTypes
{
    /// <summary>The event is not JSON, or is an HTTP event that cannot be turned into a request.</summary>
    public const string InvalidEvent = "Runtime.InvalidEvent";

    /// <summary>The event is not an HTTP event and the app registered no direct invocation handler.</summary>
    public const string UnsupportedEvent = "Runtime.UnsupportedEvent";

    /// <summary>
    /// A REST API Lambda authorizer found no valid credential; the error message is exactly <c>Unauthorized</c>,
    /// which API Gateway answers with 401.
    /// </summary>
    public const string AuthorizerUnauthorized = "Unauthorized";

    /// <summary>The Runtime API refused the response because it is larger than Lambda allows (6 MB).</summary>
    public const string ResponseTooLarge = "Function.ResponseSizeTooLarge";

    /// <summary>SnapStart: a before-snapshot hook (or priming) failed; reported as the init error.</summary>
    public const string BeforeSnapshotError = "Runtime.BeforeSnapshotError";

    /// <summary>SnapStart: an after-restore hook failed; reported to <c>/restore/error</c>.</summary>
    public const string AfterRestoreError = "Runtime.AfterRestoreError";
}
