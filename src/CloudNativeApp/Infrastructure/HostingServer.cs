using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace CloudNativeApp.Infrastructure;

internal static class HostingServer
{
    /// <summary>
    /// True when Kestrel serves the app: it listens on addresses of its own and no gateway stands in front. False under
    /// the Lambda server (which <c>AddLambdaHosting</c> puts in Kestrel's place) and test servers. By assembly, as
    /// Kestrel's server type is internal.
    /// </summary>
    public static bool IsKestrel(this IServer server) => server.GetType().Assembly == typeof(KestrelServerOptions).Assembly;
}
