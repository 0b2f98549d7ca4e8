using System.Net.Sockets;

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

    [Fact]
    public async Task Kestrel_answers_an_oversized_declared_body_at_once_and_drains_it_so_the_client_can_finish_sending()
    {
        await using var app = StartedOnKestrel(("Limits:MaxRequestBodyBytes", "1024"), ("Limits:MaxDrainedRequestBodyBytes", "4194304"));
        using var socket = await ConnectAsync(app);
        const int bodyBytes = 3 * 1024 * 1024;
        await socket.SendAsync(Encoding.ASCII.GetBytes($"POST /items HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: {bodyBytes}\r\n\r\n"));

        // The 413 comes before any of the body: the client may read it now, or only after sending everything.
        var head = await ReadUntilAsync(socket, "\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 413", head, StringComparison.Ordinal);
        Assert.Contains("Connection: close", head, StringComparison.OrdinalIgnoreCase);

        // Sent slowly after the answer, as a client on a slow link would: without the drain the first chunks meet a
        // closed socket and the rest a reset.
        var chunk = new byte[64 * 1024];
        for (var sent = 0; sent < bodyBytes; sent += chunk.Length)
        {
            await socket.SendAsync(chunk);
            if (sent % (1024 * 1024) == 0)
            {
                await Task.Delay(50);
            }
        }

        // Drained, then closed in order (a FIN after the problem body, not a reset).
        var rest = await ReadToEndAsync(socket);
        Assert.Contains("\"status\":413", head + rest, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_drain_is_bounded_in_time_and_bytes()
    {
        await using var app = StartedOnKestrel(("Limits:MaxRequestBodyBytes", "1024"), ("Limits:MaxDrainedRequestBodyBytes", "4194304"));

        // Declares 3 MB, sends none of it: Kestrel gives up the drain after its 5 s and drops the connection.
        using var stalled = await ConnectAsync(app);
        await stalled.SendAsync(Encoding.ASCII.GetBytes("POST /items HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: 3145728\r\n\r\n"));
        var waited = System.Diagnostics.Stopwatch.StartNew();
        Assert.StartsWith("HTTP/1.1 413", await ReadUntilAsync(stalled, "\r\n\r\n"), StringComparison.Ordinal);
        await ClosedAsync(stalled).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.InRange(waited.Elapsed, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(30));

        // Declares more than the drain allows: answered, and the connection is not kept to read it.
        using var huge = await ConnectAsync(app);
        await huge.SendAsync(Encoding.ASCII.GetBytes("POST /items HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: 5242880\r\n\r\n"));
        Assert.StartsWith("HTTP/1.1 413", await ReadUntilAsync(huge, "\r\n\r\n"), StringComparison.Ordinal);
        await ClosedAsync(huge).WaitAsync(TimeSpan.FromSeconds(3));
    }

    private static Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> StartedOnKestrel(params (string, string?)[] settings)
    {
        var app = SecurityTestHost.Create("Development", settings);
        app.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        app.StartServer();
        return app;
    }

    private static async Task<Socket> ConnectAsync(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> app)
    {
        using var client = app.CreateClient();
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, client.BaseAddress!.Port);
        return socket;
    }

    private static async Task<string> ReadUntilAsync(Socket socket, string end)
    {
        var text = new StringBuilder();
        var buffer = new byte[1];
        while (!text.ToString().EndsWith(end, StringComparison.Ordinal) && await socket.ReceiveAsync(buffer) == 1)
        {
            text.Append((char)buffer[0]);
        }

        return text.ToString();
    }

    /// <summary>Everything until the server closes; a reset fails the test (SocketException).</summary>
    private static async Task<string> ReadToEndAsync(Socket socket)
    {
        var text = new StringBuilder();
        var buffer = new byte[8192];
        int read;
        while ((read = await socket.ReceiveAsync(buffer)) > 0)
        {
            text.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }

        return text.ToString();
    }

    /// <summary>Completes when the server has closed or reset the connection.</summary>
    private static async Task ClosedAsync(Socket socket)
    {
        try
        {
            await ReadToEndAsync(socket);
        }
        catch (SocketException exception) when (exception.SocketErrorCode == SocketError.ConnectionReset)
        {
        }
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
