using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CloudNativeApp.LambdaHosting;

/// <summary>
/// SnapStart registrations. They can be made unconditionally: outside a SnapStart initialization (on Kestrel, in an
/// on-demand Lambda) nothing resolves or runs them.
/// </summary>
public static class LambdaSnapStartServiceCollectionExtensions
{
    /// <summary>Registers <typeparamref name="THook"/> (a singleton) to run around the snapshot.</summary>
    public static IServiceCollection AddLambdaSnapshotHook<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THook>(this IServiceCollection services)
        where THook : class, ILambdaSnapshotHook
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ILambdaSnapshotHook, THook>());
        return services;
    }

    /// <summary>Registers delegates to run around the snapshot (either may be null).</summary>
    public static IServiceCollection AddLambdaSnapshotHook(
        this IServiceCollection services,
        Func<IServiceProvider, CancellationToken, Task>? beforeSnapshot,
        Func<IServiceProvider, CancellationToken, Task>? afterRestore)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton<ILambdaSnapshotHook>(provider => new DelegateSnapshotHook(provider, beforeSnapshot, afterRestore));
        return services;
    }

    /// <summary>
    /// Runs <paramref name="method"/> <paramref name="pathAndQuery"/> through the whole invocation path before the
    /// snapshot, once per HTTP event source (the forced <see cref="LambdaHostingOptions.EventSource"/> only, if set).
    /// </summary>
    public static IServiceCollection AddLambdaPrimingRequest(this IServiceCollection services, string method, string pathAndQuery, string? body = null, string contentType = "application/json")
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(method);
        ArgumentException.ThrowIfNullOrWhiteSpace(pathAndQuery);
        if (!pathAndQuery.StartsWith('/'))
        {
            throw new ArgumentException($"'{pathAndQuery}' is not an absolute path.", nameof(pathAndQuery));
        }

        services.AddSingleton(new LambdaPrimingRequest(method.ToUpperInvariant(), pathAndQuery) { Body = body, ContentType = contentType });
        return services;
    }

    private sealed class DelegateSnapshotHook(
        IServiceProvider services,
        Func<IServiceProvider, CancellationToken, Task>? beforeSnapshot,
        Func<IServiceProvider, CancellationToken, Task>? afterRestore) : ILambdaSnapshotHook
    {
        public Task BeforeSnapshotAsync(CancellationToken cancellationToken) => beforeSnapshot?.Invoke(services, cancellationToken) ?? Task.CompletedTask;

        public Task AfterRestoreAsync(CancellationToken cancellationToken) => afterRestore?.Invoke(services, cancellationToken) ?? Task.CompletedTask;
    }
}
