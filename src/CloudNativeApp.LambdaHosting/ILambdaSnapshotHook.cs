namespace CloudNativeApp.LambdaHosting;

/// <summary>
/// Work around a Lambda SnapStart snapshot, registered with
/// <see cref="LambdaSnapStartServiceCollectionExtensions.AddLambdaSnapshotHook{THook}(Microsoft.Extensions.DependencyInjection.IServiceCollection)"/>.
/// Runs only when the function starts with <c>AWS_LAMBDA_INITIALIZATION_TYPE=snap-start</c>: before-snapshot hooks
/// once the host has started and the priming requests have run (in reverse registration order, as .NET's
/// <c>SnapshotRestore</c> does), after-restore hooks when Lambda has restored the snapshot and before the first
/// invocation (in registration order).
/// </summary>
public interface ILambdaSnapshotHook
{
    /// <summary>
    /// Prepare for being copied: warm what the first invocation needs, close connections (a socket open in the
    /// snapshot is dead after a restore). Throwing fails the version's publication (<c>Runtime.BeforeSnapshotError</c>).
    /// </summary>
    Task BeforeSnapshotAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The process was restored, possibly many times from one snapshot: drop pooled connections, reseed anything
    /// that must be unique per execution environment, refresh what may have expired. Throwing fails the restore
    /// (<c>Runtime.AfterRestoreError</c>); Lambda allows about 10 seconds for all of them.
    /// </summary>
    Task AfterRestoreAsync(CancellationToken cancellationToken);
}
