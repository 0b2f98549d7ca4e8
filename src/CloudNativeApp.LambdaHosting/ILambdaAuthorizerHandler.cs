namespace CloudNativeApp.LambdaHosting;

/// <summary>
/// Answers API Gateway Lambda authorizer events (REST API <c>TOKEN</c> and <c>REQUEST</c>, HTTP API payload 2.0
/// <c>REQUEST</c>) when the function is deployed as an authorizer. The hosting layer recognises those events before
/// any HTTP event (an HTTP API authorizer event also carries <c>"version":"2.0"</c> and <c>requestContext.http</c>),
/// reads the caller's token from where each kind puts it, and writes <see cref="LambdaAuthorizerResult"/> in the
/// shape that kind expects (IAM policy, or a simple response). Register one with
/// <see cref="LambdaHostingServiceCollectionExtensions.AddLambdaAuthorizerHandler{THandler}"/>; it is resolved from
/// a new DI scope per invocation.
/// </summary>
public interface ILambdaAuthorizerHandler
{
    /// <summary>Decides whether the caller may invoke the API.</summary>
    /// <exception cref="LambdaFunctionException">The authorizer cannot decide (e.g. it is not configured); API Gateway answers 500.</exception>
    ValueTask<LambdaAuthorizerResult> AuthorizeAsync(LambdaAuthorizerRequest request, ILambdaContext context, CancellationToken cancellationToken);
}
