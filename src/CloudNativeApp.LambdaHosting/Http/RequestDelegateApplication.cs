using Microsoft.AspNetCore.Hosting.Server.Abstractions;

namespace CloudNativeApp.LambdaHosting.Http;

/// <summary>
/// The smallest IHttpApplication: a RequestDelegate with a DefaultHttpContext reused through the server's
/// feature set, as the real hosting layer does (without its diagnostics and request scope).
/// </summary>
internal sealed class RequestDelegateApplication(RequestDelegate pipeline, IServiceProvider? requestServices) : IHttpApplication<DefaultHttpContext>
{
    public DefaultHttpContext CreateContext(IFeatureCollection contextFeatures)
    {
        if (contextFeatures is IHostContextContainer<DefaultHttpContext> { HostContext: { } reused })
        {
            reused.Initialize(contextFeatures);
            SetServices(reused);
            return reused;
        }

        var context = new DefaultHttpContext(contextFeatures);
        SetServices(context);
        if (contextFeatures is IHostContextContainer<DefaultHttpContext> container)
        {
            container.HostContext = context;
        }

        return context;
    }

    public Task ProcessRequestAsync(DefaultHttpContext context) => pipeline(context);

    public void DisposeContext(DefaultHttpContext context, Exception? exception) => context.Uninitialize();

    private void SetServices(DefaultHttpContext context)
    {
        if (requestServices is not null)
        {
            context.RequestServices = requestServices;
        }
    }
}
