using System.Net;
using System.Reflection.PortableExecutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using CloudNativeApp.LambdaRuntimeApi;

namespace CloudNativeApp.Deployment.Tests.Publishing;

/// <summary>The documented publish output, started the way Lambda and a container runtime start it.</summary>
[Collection(UsesPublishedApp.Name)]
public sealed class PublishedAppTests(PublishedApp published)
{
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan InvocationTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public void The_publish_output_is_a_self_contained_ReadyToRun_app_with_an_executable_bootstrap()
    {
        Assert.True(File.Exists(published.Bootstrap), $"No bootstrap in {published.Directory}: provided.al2023 starts /var/task/bootstrap.");
        Assert.True(File.GetUnixFileMode(published.Bootstrap).HasFlag(UnixFileMode.OtherExecute | UnixFileMode.OtherRead),
            "bootstrap must be executable and readable by any user (Lambda runs it as an unprivileged user).");
        Assert.False(File.Exists(Path.Combine(published.Directory, "CloudNativeApp")), "one entry point: the apphost is renamed, not copied");
        // Self-contained: the runtime itself is in the package, so it does not matter which .NET Lambda offers.
        Assert.True(File.Exists(Path.Combine(published.Directory, "libcoreclr.so")));
        Assert.Contains("\"includedFrameworks\"", File.ReadAllText(Path.Combine(published.Directory, "CloudNativeApp.runtimeconfig.json")), StringComparison.Ordinal);
        // ReadyToRun: the app's own assemblies carry precompiled native code.
        foreach (var assembly in new[] { "CloudNativeApp.dll", "CloudNativeApp.LambdaHosting.dll" })
        {
            using var reader = new PEReader(File.OpenRead(Path.Combine(published.Directory, assembly)));
            Assert.True(reader.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size > 0, $"{assembly} is not ReadyToRun compiled.");
        }
    }

    [Fact]
    public async Task The_bootstrap_answers_an_HTTP_API_v2_event_through_the_Lambda_Runtime_API()
    {
        await using var runtimeApi = await LambdaRuntimeApiServer.StartAsync();
        await using var function = LambdaFunctionProcess.Start(runtimeApi, published.Bootstrap, LambdaEnvironment.Merge(LambdaEnvironment.FromTemplate()));

        var outcome = await runtimeApi.InvokeAsync(HttpApiEvent("GET", "/calculator/add/1/2"), InvocationTimeout)
            .WaitAsync(StartupTimeout + InvocationTimeout);

        Assert.True(outcome.Succeeded, $"{outcome}{Environment.NewLine}{function.Output}");
        var response = outcome.ResponseJson();
        Assert.Equal(200, response.GetProperty("statusCode").GetInt32());
        Assert.Equal("3", Body(response));
        Assert.False(function.Exited.IsCompleted, function.Output);

        // A second invocation is served by the same, already warm process.
        var second = await runtimeApi.InvokeAsync(HttpApiEvent("GET", "/calculator/divide/1/0"), InvocationTimeout);
        Assert.Equal(400, second.EnsureSucceeded().ResponseJson().GetProperty("statusCode").GetInt32());
    }

    [Fact]
    public async Task Without_the_table_name_from_the_template_the_function_reports_an_init_error_naming_it()
    {
        await using var runtimeApi = await LambdaRuntimeApiServer.StartAsync();
        var environment = LambdaEnvironment.Merge(LambdaEnvironment.FromTemplate());
        environment.Remove("Items__TableName");
        await using var function = LambdaFunctionProcess.Start(runtimeApi, published.Bootstrap, environment);

        var error = await runtimeApi.InitErrorAsync().WaitAsync(StartupTimeout);

        Assert.Contains("Items__TableName", error.ToString(), StringComparison.Ordinal);
        Assert.NotEqual(0, await function.WaitForExitAsync(StartupTimeout));
    }

    [Fact]
    public async Task Outside_Lambda_the_same_entry_point_serves_HTTP_with_the_image_environment()
    {
        // The container image's ENV, the template's configuration, and a free loopback port instead of 8080.
        var environment = LambdaEnvironment.Merge(
            LambdaEnvironment.FromDockerfile(),
            LambdaEnvironment.FromTemplate().Where(variable => !variable.Key.StartsWith("AWS_", StringComparison.Ordinal)),
            [new("ASPNETCORE_URLS", "http://127.0.0.1:0"), new("AWS_REGION", "us-east-1")]);

        // A plain container has no API Gateway in front: the production default Auth:Mode=ApiGateway refuses Kestrel
        // with a clear message, and the operator chooses Jwt (or None behind an authenticating proxy), as documented.
        environment.Remove("Auth__Mode");
        await using (var refused = AppProcess.Start(published.Bootstrap, published.Directory, environment))
        {
            var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => ListeningAddress(refused));
            Assert.Contains("Auth:Mode is ApiGateway", failure.Message, StringComparison.Ordinal);
        }

        environment["Auth__Mode"] = "None";
        await using var app = AppProcess.Start(published.Bootstrap, published.Directory, environment);
        var address = await ListeningAddress(app);
        using var client = new HttpClient { BaseAddress = address, Timeout = InvocationTimeout };

        Assert.Equal("3", await client.GetStringAsync(new Uri("/calculator/add/1/2", UriKind.Relative)));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/health", UriKind.Relative))).StatusCode);
    }

    private static async Task<Uri> ListeningAddress(AppProcess app)
    {
        try
        {
            return await app.ListeningAddressAsync(StartupTimeout);
        }
        catch (Exception exception) when (exception is TimeoutException or InvalidOperationException)
        {
            throw new InvalidOperationException($"The app did not start listening: {exception.Message}{Environment.NewLine}{app.Output}", exception);
        }
    }

    private static string Body(JsonElement response)
    {
        var body = response.GetProperty("body").GetString() ?? "";
        return response.TryGetProperty("isBase64Encoded", out var encoded) && encoded.GetBoolean()
            ? System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(body))
            : body;
    }

    /// <summary>An API Gateway HTTP API (payload format 2.0) event shaped like the AWS documentation's example.</summary>
    internal static string HttpApiEvent(string method, string path) => new JsonObject
    {
        ["version"] = "2.0",
        ["routeKey"] = "$default",
        ["rawPath"] = path,
        ["rawQueryString"] = "",
        ["headers"] = new JsonObject
        {
            ["accept"] = "application/json",
            ["host"] = "abc123.execute-api.us-east-1.amazonaws.com",
            ["user-agent"] = "deployment-tests",
            ["x-forwarded-proto"] = "https",
        },
        ["requestContext"] = new JsonObject
        {
            ["accountId"] = "123456789012",
            ["apiId"] = "abc123",
            ["domainName"] = "abc123.execute-api.us-east-1.amazonaws.com",
            ["domainPrefix"] = "abc123",
            ["http"] = new JsonObject { ["method"] = method, ["path"] = path, ["protocol"] = "HTTP/1.1", ["sourceIp"] = "203.0.113.7", ["userAgent"] = "deployment-tests" },
            ["requestId"] = $"req-{Guid.NewGuid():N}",
            ["routeKey"] = "$default",
            ["stage"] = "$default",
            ["time"] = "28/Nov/2026:06:00:00 +0000",
            ["timeEpoch"] = 1795672800000,
        },
        ["isBase64Encoded"] = false,
    }.ToJsonString();
}
