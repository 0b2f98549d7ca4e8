namespace CloudNativeApp.Tests.Infrastructure;

public sealed class ApiDocumentationTests
{
    private const string SwaggerUiLine = "Swagger UI: ";

    [Fact]
    public async Task On_Kestrel_the_log_says_where_Swagger_UI_is_and_that_address_serves_it()
    {
        using var logs = new CapturingLoggerProvider();
        await using var app = CreateApp(logs);
        app.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0)); // a free port: UseKestrel(0) can end up on the default 5000
        app.StartServer();

        var address = Assert.Single(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses);
        var line = Assert.Single(logs.Entries, entry => entry.Message.StartsWith(SwaggerUiLine, StringComparison.Ordinal));
        Assert.Equal(LogLevel.Information, line.Level);
        Assert.Equal($"{SwaggerUiLine}{address}/swagger", line.Message);

        using var client = new HttpClient();
        using var response = await client.GetAsync(line.Message[SwaggerUiLine.Length..]);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("swagger-ui", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Other_servers_get_no_Swagger_UI_line_even_when_they_report_an_address()
    {
        using var logs = new CapturingLoggerProvider();
        await using var app = CreateApp(logs, host => host.ConfigureServices(services => services.AddHostedService<ReportAnAddress>()));

        app.CreateClient().Dispose(); // the test server, which like the Lambda server is not Kestrel

        Assert.True(app.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStarted.IsCancellationRequested);
        Assert.Contains(logs.Entries, entry => entry.Message.Contains("IN MEMORY", StringComparison.Ordinal)); // the logs are captured
        Assert.DoesNotContain(logs.Entries, entry => entry.Message.StartsWith(SwaggerUiLine, StringComparison.Ordinal));
    }

    private static WebApplicationFactory<Program> CreateApp(CapturingLoggerProvider logs, Action<IWebHostBuilder>? configure = null) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(host =>
        {
            host.UseEnvironment("Development");
            host.UseSetting("Items:Store", "InMemory");
            host.ConfigureLogging(logging => logging.AddProvider(logs));
            configure?.Invoke(host);
        });

    /// <summary>
    /// Gives the test server an address before the app has started, as a server would that listens behind a gateway:
    /// only the server's kind can then keep the line out.
    /// </summary>
    private sealed class ReportAnAddress(IServer server) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            var addresses = new ServerAddressesFeature();
            addresses.Addresses.Add("http://127.0.0.1:9");
            server.Features.Set<IServerAddressesFeature>(addresses);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
