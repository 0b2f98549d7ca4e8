using System.Diagnostics.CodeAnalysis;
using CloudNativeApp.LambdaHosting.Logging;
using CloudNativeApp.LambdaHosting.Runtime;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Console;

namespace CloudNativeApp.LambdaHosting;

/// <summary>Registers the Lambda hosting server (replacing Kestrel when <c>AWS_LAMBDA_RUNTIME_API</c> is set) and its parts.</summary>
public static class LambdaHostingServiceCollectionExtensions
{
    /// <summary>The variable Lambda sets to the Runtime API's <c>host:port</c>; hosting switches on only when it is set.</summary>
    public const string RuntimeApiVariable = "AWS_LAMBDA_RUNTIME_API";

    /// <summary>
    /// In AWS Lambda (<c>AWS_LAMBDA_RUNTIME_API</c> set) replaces Kestrel with the Lambda server, switches console
    /// logs to Lambda's format (JSON with <c>AWS_LAMBDA_LOG_FORMAT=JSON</c>) and reports startup failures to
    /// <c>/init/error</c>. Anywhere else it does nothing and Kestrel serves as before.
    /// </summary>
    public static IServiceCollection AddLambdaHosting(this IServiceCollection services, Action<LambdaHostingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var runtimeApi = Environment.GetEnvironmentVariable(RuntimeApiVariable);
        if (string.IsNullOrWhiteSpace(runtimeApi))
        {
            return services;
        }

        LambdaInitErrorReporter.Install(runtimeApi);
        var json = string.Equals(Environment.GetEnvironmentVariable("AWS_LAMBDA_LOG_FORMAT"), "JSON", StringComparison.OrdinalIgnoreCase);
        services.AddLambdaConsoleLogging(json);
        return services.AddLambdaServer(runtimeApi, configure);
    }

    /// <summary>
    /// Unconditionally serves the app from the Runtime API at <paramref name="runtimeApi"/> (<c>host:port</c>) instead
    /// of Kestrel. <see cref="AddLambdaHosting"/> is the switch for apps; this is for tests and custom hosts.
    /// </summary>
    public static IServiceCollection AddLambdaServer(this IServiceCollection services, string runtimeApi, Action<LambdaHostingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(runtimeApi);
        var optionsBuilder = services.AddOptions<LambdaHostingOptions>();

        // Before the caller's configure action, so code can still override configuration.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<LambdaHostingOptions>, LambdaHostingConfiguration>());
        if (configure is not null)
        {
            optionsBuilder.Configure(configure);
        }

        services.RemoveAll<IServer>();
        services.AddSingleton<IServer, LambdaServer>();
        services.TryAddSingleton(_ => new LambdaRuntimeClient(runtimeApi));
        services.TryAddSingleton<DirectInvocationDispatcher>();
        services.TryAddSingleton<LambdaContextAccessor>();
        services.TryAddSingleton<LambdaPrimer>();
        services.TryAddSingleton<SnapStartLifecycle>();
        services.TryAddTransient<ILambdaContext>(provider => provider.GetRequiredService<LambdaContextAccessor>().Current
            ?? throw new InvalidOperationException("ILambdaContext is only available while a Lambda invocation is running."));
        return services;
    }

    /// <summary>Registers the handler for events that are not HTTP events (see <see cref="ILambdaDirectInvocationHandler"/>).</summary>
    public static IServiceCollection AddLambdaDirectInvocationHandler<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler>(this IServiceCollection services)
        where THandler : class, ILambdaDirectInvocationHandler =>
        ReplaceWithScoped<ILambdaDirectInvocationHandler, THandler>(services);

    /// <summary>Registers the handler for API Gateway Lambda authorizer events (see <see cref="ILambdaAuthorizerHandler"/>).</summary>
    public static IServiceCollection AddLambdaAuthorizerHandler<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler>(this IServiceCollection services)
        where THandler : class, ILambdaAuthorizerHandler =>
        ReplaceWithScoped<ILambdaAuthorizerHandler, THandler>(services);

    /// <summary>Console logs in Lambda's text or JSON shape, each line with the invocation's request id.</summary>
    public static IServiceCollection AddLambdaConsoleLogging(this IServiceCollection services, bool json)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.AddLogging(logging =>
        {
            logging.AddConsole(options => options.FormatterName = json ? LambdaJsonConsoleFormatter.FormatterName : LambdaTextConsoleFormatter.FormatterName);

            // Registered directly rather than with AddConsoleFormatter<TFormatter, TOptions>: that also binds the
            // formatter's options from configuration by reflection (not trim- or AOT-safe), and these formatters
            // read no options.
            logging.Services.TryAddEnumerable(ServiceDescriptor.Singleton<ConsoleFormatter, LambdaTextConsoleFormatter>());
            logging.Services.TryAddEnumerable(ServiceDescriptor.Singleton<ConsoleFormatter, LambdaJsonConsoleFormatter>());
        });
    }

    // One handler of each kind: a later registration replaces an earlier one instead of adding a second.
    private static IServiceCollection ReplaceWithScoped<TService, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler>(IServiceCollection services)
        where TService : class
        where THandler : class, TService
    {
        ArgumentNullException.ThrowIfNull(services);
        services.RemoveAll<TService>();
        services.AddScoped<TService, THandler>();
        return services;
    }
}
