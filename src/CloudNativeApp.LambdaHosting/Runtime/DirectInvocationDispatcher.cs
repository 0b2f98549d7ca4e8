namespace CloudNativeApp.LambdaHosting.Runtime;

/// <summary>
/// Hands an event that is not an HTTP request to the app, in its own DI scope: an API Gateway authorizer event to its
/// <see cref="ILambdaAuthorizerHandler"/>, anything else to its <see cref="ILambdaDirectInvocationHandler"/>.
/// </summary>
internal sealed partial class DirectInvocationDispatcher(IServiceScopeFactory scopes, ILoggerFactory loggerFactory)
{
    private readonly ILogger _logger = loggerFactory.CreateLogger("CloudNativeApp.LambdaHosting.Authorizer");

    public async ValueTask InvokeAsync(ReadOnlyMemory<byte> payload, IBufferWriter<byte> response, ILambdaContext context, CancellationToken cancellationToken)
    {
        var authorizerRequest = AuthorizerEventTranslator.TryRead(payload);
        var scope = scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            if (authorizerRequest is not null)
            {
                await AuthorizeAsync(scope.ServiceProvider, authorizerRequest, response, context, cancellationToken).ConfigureAwait(false);
                return;
            }

            var handler = scope.ServiceProvider.GetService<ILambdaDirectInvocationHandler>()
                ?? throw new LambdaFunctionException(LambdaErrorTypes.UnsupportedEvent, UnsupportedEventMessage.For(payload.Span));
            await handler.HandleAsync(payload, response, context, cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask AuthorizeAsync(IServiceProvider services, LambdaAuthorizerRequest request, IBufferWriter<byte> response, ILambdaContext context, CancellationToken cancellationToken)
    {
        var handler = services.GetService<ILambdaAuthorizerHandler>()
            ?? throw new LambdaFunctionException(
                LambdaErrorTypes.UnsupportedEvent,
                $"The event is an API Gateway Lambda authorizer event ({request.Kind}), and the function has no ILambdaAuthorizerHandler (AddLambdaAuthorizerHandler<T>).");
        var result = await handler.AuthorizeAsync(request, context, cancellationToken).ConfigureAwait(false);
        if (result.Decision == LambdaAuthorizerDecision.Allow)
        {
            LogAllowed(_logger, request.Kind, result.PrincipalId!, request.ResourceArn);
        }
        else
        {
            LogRefused(_logger, request.Kind, result.Decision, request.ResourceArn, result.Reason);
        }

        AuthorizerEventTranslator.WriteResponse(request, result, response);
    }

    [LoggerMessage(LogLevel.Information, "{Kind} authorizer: Allow {PrincipalId} for {Resource}.")]
    private static partial void LogAllowed(ILogger logger, LambdaAuthorizerEventKind kind, string principalId, string resource);

    [LoggerMessage(LogLevel.Information, "{Kind} authorizer: {Decision} for {Resource}: {Reason}")]
    private static partial void LogRefused(ILogger logger, LambdaAuthorizerEventKind kind, LambdaAuthorizerDecision decision, string resource, string? reason);
}
