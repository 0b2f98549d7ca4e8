using System.Net;
using System.Net.Http.Json;

namespace CloudNativeApp.Tests.Security;

public sealed class RequestLimitsTests
{
    [Fact]
    public async Task A_declared_body_over_the_limit_is_a_413_problem_before_it_is_read()
    {
        await using var app = SecurityTestHost.Create("Development", ("Limits:MaxRequestBodyBytes", "1024"));
        using var content = new StringContent($$"""{"number1":1,"number2":2,"pad":"{{new string('x', 2000)}}"}""", System.Text.Encoding.UTF8, "application/json");
        using var response = await app.CreateClient().PostAsync("/calculator", content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Kestrel_enforces_the_body_limit_and_sends_no_server_banner()
    {
        await using var app = SecurityTestHost.Create("Development", ("Limits:MaxRequestBodyBytes", "1024"));
        app.UseKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, 0)); // a free port: UseKestrel(0) can end up on the default 5000
        app.StartServer();
        using var client = app.CreateClient();

        using var small = await client.PostAsJsonAsync("/calculator", new { number1 = 1, number2 = 2 });
        Assert.Equal(HttpStatusCode.OK, small.StatusCode);
        Assert.False(small.Headers.Contains("Server"));

        // Chunked, so no Content-Length tells the app up front: Kestrel's own limit must stop it.
        using var chunked = new PushStreamContentOfSize(4096);
        using var large = await client.PostAsync("/calculator", chunked);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, large.StatusCode);
        Assert.Equal("application/problem+json", large.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>A JSON body of the given size sent without Content-Length (chunked transfer encoding).</summary>
    private sealed class PushStreamContentOfSize : HttpContent
    {
        private readonly int _size;

        public PushStreamContentOfSize(int size)
        {
            _size = size;
            Headers.ContentType = new("application/json");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var padding = new string(' ', _size);
            await stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes($$"""{"number1":1,{{padding}}"number2":2}"""));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }
}
