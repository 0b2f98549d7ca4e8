using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CloudNativeApp.LambdaHosting.Tests.Translation;
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

    [Fact]
    public async Task What_the_app_set_on_one_invocation_is_gone_in_the_next()
    {
        // One invocation that changes every settable request, connection, TLS, identity and response value, then the
        // same event again: the second must see what the first saw before it changed anything.
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = new CertificateRequest("CN=leak", key, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var seen = new List<string>();
        var invoker = LambdaHttpInvoker.Create(context =>
        {
            var connection = context.Connection;
            seen.Add(string.Join(
                " | ",
                connection.RemoteIpAddress,
                connection.LocalIpAddress,
                connection.RemotePort,
                connection.LocalPort,
                connection.ClientCertificate?.Subject,
                context.User.Identity?.AuthenticationType,
                context.TraceIdentifier,
                context.Request.Scheme,
                context.Request.Protocol,
                context.Request.Body.Length,
                context.Items.Count,
                context.Features.Get<IHttpResponseFeature>()!.ReasonPhrase));

            connection.RemoteIpAddress = IPAddress.Parse("203.0.113.9");
            connection.LocalIpAddress = IPAddress.Parse("10.1.2.3");
            connection.RemotePort = 4444;
            connection.LocalPort = 8443;
            connection.ClientCertificate = certificate;
            context.User = new ClaimsPrincipal(new ClaimsIdentity("Leaked"));
            context.TraceIdentifier = "leaked";
            context.Request.Scheme = "ftp";
            context.Request.Protocol = "HTTP/9";
            context.Request.Body = new MemoryStream([1, 2, 3]);
            context.Items["leaked"] = true;
            context.Features.Get<IHttpResponseFeature>()!.ReasonPhrase = "Leaked";
            return Task.CompletedTask;
        });

        await Translate.InvokeAsync(invoker, TestEvents.Load(TestEvents.RestApi));
        await Translate.InvokeAsync(invoker, TestEvents.Load(TestEvents.RestApi));

        Assert.Equal(2, seen.Count);
        Assert.Equal(seen[0], seen[1]);
    }
}
