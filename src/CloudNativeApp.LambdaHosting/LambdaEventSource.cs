namespace CloudNativeApp.LambdaHosting;

/// <summary>The HTTP event sources the adapter understands; detected per event unless forced in <see cref="LambdaHostingOptions"/>.</summary>
public enum LambdaEventSource
{
    /// <summary>API Gateway REST API, Lambda proxy integration, payload format 1.0.</summary>
    RestApi,

    /// <summary>API Gateway HTTP API payload format 2.0, and Lambda Function URLs (same shape).</summary>
    HttpApi,

    /// <summary>Application Load Balancer target group, single- or multi-value header mode.</summary>
    Alb,
}
