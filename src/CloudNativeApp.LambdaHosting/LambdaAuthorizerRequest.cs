namespace CloudNativeApp.LambdaHosting;

/// <summary>The API Gateway authorizer event formats the hosting layer recognises.</summary>
public enum LambdaAuthorizerEventKind
{
    /// <summary>REST API <c>TOKEN</c> authorizer: <c>authorizationToken</c> and <c>methodArn</c>; answered with an IAM policy.</summary>
    RestApiToken,

    /// <summary>REST API (or HTTP API payload 1.0) <c>REQUEST</c> authorizer: the request's headers and <c>methodArn</c>; answered with an IAM policy.</summary>
    RestApiRequest,

    /// <summary>HTTP API payload 2.0 <c>REQUEST</c> authorizer: <c>routeArn</c> and <c>identitySource</c>; answered with a simple response.</summary>
    HttpApiRequest,
}

/// <summary>What an authorizer event says about the call being authorized.</summary>
/// <param name="Kind">The event format.</param>
/// <param name="AuthorizationToken">
/// The caller's credential as sent (e.g. <c>Bearer eyJ…</c>): <c>authorizationToken</c> (TOKEN), else the
/// <c>Authorization</c> header (any case), else the first identity source; null when the event carries none.
/// </param>
/// <param name="ResourceArn">The <c>methodArn</c> (REST) or <c>routeArn</c> (HTTP API) being called.</param>
public sealed record LambdaAuthorizerRequest(LambdaAuthorizerEventKind Kind, string? AuthorizationToken, string ResourceArn);
