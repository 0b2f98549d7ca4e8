using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

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

    [Theory]
    [InlineData(null, false)]
    [InlineData("true", true)]
    [InlineData(" False ", false)]
    public void ResponseStreaming_is_read_from_Lambda_ResponseStreaming(string? value, bool expected)
    {
        using var provider = ServicesWith(value).BuildServiceProvider();

        Assert.Equal(expected, provider.GetRequiredService<IOptions<LambdaHostingOptions>>().Value.ResponseStreaming);
    }

    [Fact]
    public void Code_configuration_overrides_Lambda_ResponseStreaming()
    {
        using var provider = ServicesWith("true", options => options.ResponseStreaming = false).BuildServiceProvider();

        Assert.False(provider.GetRequiredService<IOptions<LambdaHostingOptions>>().Value.ResponseStreaming);
    }

    [Fact]
    public void A_Lambda_ResponseStreaming_that_is_not_a_boolean_is_a_clear_startup_error()
    {
        using var provider = ServicesWith("yes").BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<LambdaHostingOptions>>().Value);
        Assert.Contains("Lambda:ResponseStreaming must be true or false, not 'yes'", error.Message, StringComparison.Ordinal);
    }

    private static ServiceCollection ServicesWith(string? responseStreaming, Action<LambdaHostingOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Lambda:ResponseStreaming"] = responseStreaming })
            .Build());
        services.AddLambdaServer("127.0.0.1:9001", configure);
        return services;
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
