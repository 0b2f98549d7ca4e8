using CloudNativeApp.LambdaHosting.Runtime;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection;

namespace CloudNativeApp.LambdaHosting.Tests.Runtime;

public sealed class AddLambdaHostingTests
{
    [Fact]
    public void Without_the_runtime_api_variable_nothing_is_registered()
    {
        // The variable is Lambda's; a test run outside Lambda never has it.
        Assert.Null(Environment.GetEnvironmentVariable(LambdaHostingServiceCollectionExtensions.RuntimeApiVariable));
        var services = new ServiceCollection();

        services.AddLambdaHosting();

        Assert.Empty(services);
    }

    [Fact]
    public void Lambda_server_replaces_any_other_server()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IServer, PlaceholderServer>();

        services.AddLambdaServer("127.0.0.1:9001");

        var server = Assert.Single(services, descriptor => descriptor.ServiceType == typeof(IServer));
        Assert.Equal(typeof(LambdaServer), server.ImplementationType);
        Assert.Contains(services, descriptor => descriptor.ServiceType == typeof(ILambdaContext));
    }

    [Fact]
    public void Direct_invocation_handler_registration_replaces_the_previous_one()
    {
        var services = new ServiceCollection();

        services.AddLambdaDirectInvocationHandler<FirstHandler>();
        services.AddLambdaDirectInvocationHandler<SecondHandler>();

        var handler = Assert.Single(services, descriptor => descriptor.ServiceType == typeof(ILambdaDirectInvocationHandler));
        Assert.Equal(typeof(SecondHandler), handler.ImplementationType);
        Assert.Equal(ServiceLifetime.Scoped, handler.Lifetime);
    }

    private sealed class PlaceholderServer : IServer
    {
        public Microsoft.AspNetCore.Http.Features.IFeatureCollection Features => throw new NotSupportedException();

        public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
            where TContext : notnull => throw new NotSupportedException();

        public Task StopAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public void Dispose()
        {
        }
    }

    private sealed class FirstHandler : ILambdaDirectInvocationHandler
    {
        public ValueTask HandleAsync(ReadOnlyMemory<byte> payload, System.Buffers.IBufferWriter<byte> response, ILambdaContext context, CancellationToken cancellationToken) =>
            ValueTask.CompletedTask;
    }

    private sealed class SecondHandler : ILambdaDirectInvocationHandler
    {
        public ValueTask HandleAsync(ReadOnlyMemory<byte> payload, System.Buffers.IBufferWriter<byte> response, ILambdaContext context, CancellationToken cancellationToken) =>
            ValueTask.CompletedTask;
    }
}
