using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

/// <summary>
/// Makes the published app throw on demand, for the test of what an unhandled exception does in Lambda: the app
/// itself has no endpoint that fails, by design. Loaded into the app process with
/// <c>DOTNET_STARTUP_HOOKS=&lt;this assembly&gt;</c>; it listens for the host being built (the same hook
/// WebApplicationFactory uses) and adds an outermost middleware that throws for requests carrying
/// <see cref="FaultHeader"/>. Only framework types are touched here, so the test assembly's own dependencies are
/// never loaded into the app.
/// </summary>
[SuppressMessage("Design", "CA1050:Declare types in namespaces", Justification = "The runtime calls StartupHook.Initialize in the global namespace.")]
internal static class StartupHook
{
    public const string FaultHeader = "X-Inject-Fault";
    public const string FaultMessage = "Fault injected by the end-to-end tests";

    /// <summary>A request carrying this header writes <see cref="AbortedMarker"/> and its value to stdout when RequestAborted fires.</summary>
    public const string ReportAbortHeader = "X-Report-Abort";
    public const string AbortedMarker = "E2E-REQUEST-ABORTED";

    public static void Initialize() => DiagnosticListener.AllListeners.Subscribe(new HostingListenerObserver());

    private sealed class HostingListenerObserver : IObserver<DiagnosticListener>
    {
        public void OnNext(DiagnosticListener value)
        {
            if (value.Name == "Microsoft.Extensions.Hosting")
            {
                value.Subscribe(new HostBuildingObserver());
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }

    private sealed class HostBuildingObserver : IObserver<KeyValuePair<string, object?>>
    {
        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (value is { Key: "HostBuilding", Value: IHostBuilder builder })
            {
                builder.ConfigureServices(services => services.AddTransient<IStartupFilter, FaultInjectionStartupFilter>());
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }

    private sealed class FaultInjectionStartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (context.Request.Headers.ContainsKey(FaultHeader))
                {
                    throw new InvalidOperationException(FaultMessage);
                }

                if (context.Request.Headers[ReportAbortHeader].ToString() is { Length: > 0 } label)
                {
                    context.RequestAborted.Register(() => Console.WriteLine($"{AbortedMarker} {label}"));
                }

                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
