using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CloudNativeApp.Testing;

/// <summary>Starts a <see cref="WebApplicationFactory{TEntryPoint}"/> app on a real socket instead of TestServer.</summary>
public static class LoopbackKestrel
{
    /// <summary>
    /// Starts the app on Kestrel at a free loopback port and returns its root URL (ending in "/"). Listening on port 0
    /// explicitly: <c>UseKestrel(0)</c> can end up on the default port 5000.
    /// </summary>
    public static Uri StartOnLoopback<TEntryPoint>(this WebApplicationFactory<TEntryPoint> factory)
        where TEntryPoint : class
    {
        ArgumentNullException.ThrowIfNull(factory);
        factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address.TrimEnd('/') + "/");
    }
}
