namespace CloudNativeApp.LambdaHosting;

/// <summary>
/// Handles events that are not HTTP events (no <c>requestContext</c>, <c>httpMethod</c> or <c>routeKey</c>), e.g.
/// <c>aws lambda invoke --payload '{"Number1":10,"Number2":20}'</c>. Register one with
/// <see cref="LambdaHostingServiceCollectionExtensions.AddLambdaDirectInvocationHandler{THandler}"/>; it is resolved from a
/// new DI scope per invocation.
/// </summary>
public interface ILambdaDirectInvocationHandler
{
    /// <summary>Writes the invocation's JSON result to <paramref name="response"/>.</summary>
    /// <exception cref="LambdaFunctionException">The event is invalid; becomes a function error with its error type and message.</exception>
    ValueTask HandleAsync(ReadOnlyMemory<byte> payload, IBufferWriter<byte> response, ILambdaContext context, CancellationToken cancellationToken);
}
