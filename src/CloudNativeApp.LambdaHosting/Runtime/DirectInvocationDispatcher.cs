using System.Buffers;
using CloudNativeApp.LambdaHosting.Translation;
using Microsoft.Extensions.DependencyInjection;

namespace CloudNativeApp.LambdaHosting.Runtime;

/// <summary>Hands a non-HTTP event to the app's <see cref="ILambdaDirectInvocationHandler"/>, in its own DI scope.</summary>
internal sealed class DirectInvocationDispatcher(IServiceScopeFactory scopes)
{
    public async ValueTask InvokeAsync(ReadOnlyMemory<byte> payload, IBufferWriter<byte> response, ILambdaContext context, CancellationToken cancellationToken)
    {
        var scope = scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var handler = scope.ServiceProvider.GetService<ILambdaDirectInvocationHandler>()
                ?? throw new LambdaFunctionException(LambdaErrorTypes.UnsupportedEvent, UnsupportedEventMessage.For(payload.Span));
            await handler.HandleAsync(payload, response, context, cancellationToken).ConfigureAwait(false);
        }
    }
}
