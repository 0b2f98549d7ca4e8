using System.Net;
using CloudNativeApp.LambdaRuntimeApi;

namespace CloudNativeApp.Deployment.Tests.Publishing;

/// <summary>The documented publish output, started the way Lambda and a container runtime start it.</summary>
[Collection(UsesPublishedApp.Name)]
public sealed class PublishedAppTests(PublishedApp published)
{
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan InvocationTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The newest glibc symbol version provided.al2023 (Amazon Linux 2023, glibc 2.34) resolves.</summary>
    private const int AmazonLinux2023GlibcMinor = 34;

    [Fact]
    public void The_publish_output_is_one_native_executable_bootstrap_and_its_content_files()
    {
        Assert.True(File.Exists(published.Bootstrap), $"No bootstrap in {published.Directory}: provided.al2023 starts /var/task/bootstrap.");
        Assert.True(File.GetUnixFileMode(published.Bootstrap).HasFlag(UnixFileMode.OtherExecute | UnixFileMode.OtherRead),
            "bootstrap must be executable and readable by any user (Lambda runs it as an unprivileged user).");

        // Native AOT: an x86-64 ELF executable, with nothing of a .NET runtime, no managed assemblies and no symbols beside it.
        var header = File.ReadAllBytes(published.Bootstrap).AsSpan(0, 20).ToArray();
        Assert.Equal("\u007fELF"u8.ToArray(), header[..4]);
        Assert.Equal(0x3E, BitConverter.ToUInt16(header, 18)); // e_machine: EM_X86_64
        var files = Directory.EnumerateFiles(published.Directory, "*", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(published.Directory, path))
            .ToList();
        Assert.DoesNotContain(files, file => file is "CloudNativeApp" || Path.GetExtension(file) is ".dll" or ".so" or ".dbg" or ".pdb");
        Assert.All(files.Where(file => file != "bootstrap"), file => Assert.True(
            file.StartsWith("wwwroot/", StringComparison.Ordinal) || Path.GetExtension(file) == ".json",
            $"{file}: the publish output should hold the executable, settings and web assets only."));
    }

    /// <summary>
    /// A native binary needs the glibc symbol versions of the machine that linked it: linked on a newer Linux than
    /// Lambda's provided.al2023, it would fail there at startup with "GLIBC_2.xx not found".
    /// </summary>
    [Fact]
    public void The_bootstrap_needs_no_newer_glibc_than_Amazon_Linux_2023_has()
    {
        var text = System.Text.Encoding.Latin1.GetString(File.ReadAllBytes(published.Bootstrap));
        var needed = System.Text.RegularExpressions.Regex.Matches(text, @"GLIBC_2\.(\d+)")
            .Select(match => int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))
            .ToList();

        Assert.NotEmpty(needed);
        Assert.True(needed.Max() <= AmazonLinux2023GlibcMinor, $"bootstrap needs GLIBC_2.{needed.Max()}; Amazon Linux 2023 has 2.{AmazonLinux2023GlibcMinor}.");
    }

    [Fact]
    public async Task The_bootstrap_answers_an_HTTP_API_v2_event_through_the_Lambda_Runtime_API()
    {
        await using var runtimeApi = await LambdaRuntimeApiServer.StartAsync();
        await using var function = LambdaFunctionProcess.Start(runtimeApi, published.Bootstrap, LambdaEnvironment.Merge(LambdaEnvironment.FromTemplate()));

        var outcome = await runtimeApi.InvokeAsync(HttpApiGet("/calculator/add/1/2"), InvocationTimeout)
            .WaitAsync(StartupTimeout + InvocationTimeout);

        Assert.True(outcome.Succeeded, $"{outcome}{Environment.NewLine}{function.Output}");
        var response = outcome.ResponseJson();
        Assert.Equal(200, response.GetProperty("statusCode").GetInt32());
        Assert.Equal("3", Body(response));
        Assert.False(function.Exited.IsCompleted, function.Output);

        // A second invocation is served by the same, already warm process.
        var second = await runtimeApi.InvokeAsync(HttpApiGet("/calculator/divide/1/0"), InvocationTimeout);
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

    [Fact]
    public async Task Started_from_another_working_directory_it_still_serves_its_web_page()
    {
        var elsewhere = Directory.CreateTempSubdirectory("cloudnativeapp-cwd-");
        try
        {
            var environment = new Dictionary<string, string?>
            {
                ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
                ["Items__Store"] = "InMemory",
                ["Auth__Mode"] = "None",
            };
            await using var app = AppProcess.Start(published.Bootstrap, elsewhere.FullName, environment);
            using var client = new HttpClient { BaseAddress = await ListeningAddress(app), Timeout = InvocationTimeout };

            using var page = await client.GetAsync(new Uri("/", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains("<html", await page.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("WebRootPath was not found", app.Output, StringComparison.Ordinal);
        }
        finally
        {
            elsewhere.Delete(recursive: true);
        }
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

    /// <summary>An API Gateway HTTP API (payload format 2.0) GET, without authorizer claims: the calculator is open to anyone.</summary>
    internal static string HttpApiGet(string path) => HttpEvent.Get(HttpEventSource.HttpApi, path).Anonymous().ToJson();
}
