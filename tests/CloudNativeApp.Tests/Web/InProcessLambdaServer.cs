using System.Buffers;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging.Abstractions;

namespace CloudNativeApp.Tests.Web;

/// <summary>
/// Stands where Lambda's server stands: it receives the app's pipeline when the host starts and runs API Gateway
/// events through the hosting library's invoker, in process. Only the Runtime API polling loop is left out.
/// </summary>
public sealed class InProcessLambdaServer : IServer
{
    private Func<byte[], Task<JsonElement>>? invoke;

    public IFeatureCollection Features { get; } = CreateFeatures();

    public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
        where TContext : notnull
    {
        var invoker = new LambdaHttpInvoker<TContext>(application, new LambdaHostingOptions(), NullLogger.Instance);
        invoke = async eventJson =>
        {
            var response = new ArrayBufferWriter<byte>();
            var kind = await invoker.InvokeAsync(eventJson, response);
            Assert.Equal(LambdaInvocationKind.HttpResponse, kind);
            return JsonDocument.Parse(response.WrittenMemory).RootElement.Clone();
        };
        return Task.CompletedTask;
    }

    /// <summary>The Lambda response JSON for an event.</summary>
    public Task<JsonElement> InvokeAsync(byte[] eventJson) =>
        (invoke ?? throw new InvalidOperationException("The host has not started the server."))(eventJson);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
    }

    // WebApplicationFactory reads the listening address; no socket is opened, so it is a placeholder that is never dialled.
    private static FeatureCollection CreateFeatures()
    {
        var features = new FeatureCollection();
        var addresses = new ServerAddressesFeature();
        addresses.Addresses.Add("http://127.0.0.1:9");
        features.Set<IServerAddressesFeature>(addresses);
        return features;
    }
}
