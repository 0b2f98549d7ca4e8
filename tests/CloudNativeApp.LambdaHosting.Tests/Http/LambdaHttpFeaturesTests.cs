using System.Text.Json;
using CloudNativeApp.LambdaHosting.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Features.Authentication;

namespace CloudNativeApp.LambdaHosting.Tests.Http;

public sealed class LambdaHttpFeaturesTests
{
    [Fact]
    public void Every_server_feature_is_served_by_the_one_object_and_can_be_replaced()
    {
        using var features = new LambdaHttpFeatures();
        var context = new LambdaContext("id-1", DateTimeOffset.UtcNow.AddMinutes(1));
        features.Initialize(default, context, CancellationToken.None);

        Assert.Same(features, features.Get<IHttpRequestFeature>());
        Assert.Same(features, features.Get<IHttpResponseFeature>());
        Assert.Same(features, features.Get<IHttpResponseBodyFeature>());
        Assert.Same(features, features.Get<IHttpRequestIdentifierFeature>());
        Assert.Same(features, features.Get<IHttpRequestLifetimeFeature>());
        Assert.Same(features, features.Get<IHttpConnectionFeature>());
        Assert.Same(features, features.Get<IHttpRequestBodyDetectionFeature>());
        Assert.Same(features, features.Get<IHttpAuthenticationFeature>());
        Assert.Same(features, features.Get<ITlsConnectionFeature>());
        Assert.Same(features, features.Get<ILambdaEventFeature>());
        Assert.Same(context, features.Get<ILambdaContext>());
        Assert.Equal(11, features.Count());

        var revision = features.Revision;
        var replacement = new HttpAuthenticationFeature();
        features.Set<IHttpAuthenticationFeature>(replacement);
        features.Set<IItemsFeature>(new ItemsFeature());

        Assert.Same(replacement, features.Get<IHttpAuthenticationFeature>());
        Assert.NotNull(features.Get<IItemsFeature>());
        Assert.True(features.Revision > revision);
        Assert.Equal(12, features.Count());

        features.Reset();
        features.Initialize(default, null, CancellationToken.None);

        Assert.Same(features, features.Get<IHttpAuthenticationFeature>());
        Assert.Null(features.Get<IItemsFeature>());
        Assert.Null(features.Get<ILambdaContext>());
    }

    [Fact]
    public void Response_headers_are_read_only_once_the_response_has_started()
    {
        using var features = new LambdaHttpFeatures();
        features.Initialize(default, null, CancellationToken.None);
        features.EnsureStarted();

        Assert.True(features.HasStarted);
        Assert.Throws<InvalidOperationException>(() => features.ResponseHeaders["X-Late"] = "1");
        Assert.Throws<InvalidOperationException>(() => features.OnStarting(_ => Task.CompletedTask, new object()));
    }

    [Fact]
    public void Trace_identifier_falls_back_to_the_event_request_id_then_to_a_new_one()
    {
        using var features = new LambdaHttpFeatures();
        features.Initialize(default, null, CancellationToken.None);
        features.SetFallbackTraceIdentifier("apigw-request");
        Assert.Equal("apigw-request", features.TraceIdentifier);

        features.Reset();
        features.Initialize(default, null, CancellationToken.None);
        Assert.Equal(32, features.TraceIdentifier.Length);

        features.Reset();
        features.Initialize(default, new LambdaContext("lambda-id", DateTimeOffset.UtcNow), CancellationToken.None);
        features.SetFallbackTraceIdentifier("apigw-request");
        Assert.Equal("lambda-id", features.TraceIdentifier);
        Assert.Equal(JsonValueKind.Undefined, features.ParsedEvent.ValueKind);
    }
}
