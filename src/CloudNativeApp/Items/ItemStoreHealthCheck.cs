using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CloudNativeApp.Items;

/// <summary>Readiness: can the item store serve requests right now?</summary>
internal sealed class ItemStoreHealthCheck(IItemRepository repository) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await repository.CheckAvailabilityAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (ItemStoreUnavailableException exception)
        {
            return HealthCheckResult.Unhealthy(exception.Message, exception);
        }
    }
}
