namespace CloudNativeApp.LambdaHosting.Tests.Runtime;

/// <summary>
/// The client's HTTP/1.1 framing against a peer that writes exact bytes: the test Runtime API (Kestrel) always sends
/// Content-Length, so chunked bodies, slow and closing peers and malformed responses are scripted here on a real socket.
/// </summary>
public sealed class RuntimeApiConnectionTests
{
    private static readonly TimeSpan Patience = ScriptedPeer.Patience;

    [Fact]
    public async Task Writes_requests_the_Runtime_API_accepts()
    {
        await using var peer = ScriptedPeer.Start(async connection =>
        {
            await connection.AnswerAsync("HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n");
            await connection.AnswerAsync("HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n");
        });
        using var client = new RuntimeApiConnection(peer.Authority);

        await client.SendAsync(new RuntimeApiRequest("GET", "/2018-06-01/runtime/invocation/next"), CancellationToken.None);
        var body = "{\"errorMessage\":\"é\"}"u8.ToArray();
        var response = await client.SendAsync(new RuntimeApiRequest("POST", "/2018-06-01/runtime/invocation/a%2Fb/error", body, "application/vnd.aws.lambda.error+json", ("Lambda-Runtime-Function-Error-Type", "Runtime.Test")), CancellationToken.None);

        Assert.Equal(202, response.StatusCode);
        Assert.Equal($"GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: {peer.Authority}\r\n\r\n", peer.Requests[0]);
        Assert.Equal(
            $"POST /2018-06-01/runtime/invocation/a%2Fb/error HTTP/1.1\r\nHost: {peer.Authority}\r\nContent-Length: {body.Length}\r\n"
            + "Content-Type: application/vnd.aws.lambda.error+json\r\nLambda-Runtime-Function-Error-Type: Runtime.Test\r\n\r\n{\"errorMessage\":\"é\"}",
            peer.Requests[1]);
        Assert.Equal(1, peer.Connections);
    }

    [Fact]
    public async Task Reads_a_chunked_body_with_extensions_and_trailers_delivered_a_byte_at_a_time()
    {
        const string response = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nLambda-Runtime-Aws-Request-Id:  id-1 \r\n\r\n"
            + "5;name=value\r\n{\"a\":\r\n3\r\n42}\r\n0\r\nTrailer: x\r\n\r\n";
        await using var peer = ScriptedPeer.Start(async connection =>
        {
            await connection.ReadRequestAsync();
            foreach (var b in Encoding.ASCII.GetBytes(response))
            {
                await connection.WriteAsync([b]);
            }

            await connection.AnswerAsync("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        });
        using var client = new RuntimeApiConnection(peer.Authority);

        var first = await client.SendAsync(new RuntimeApiRequest("GET", "/next"), CancellationToken.None);
        var second = await client.SendAsync(new RuntimeApiRequest("GET", "/next"), CancellationToken.None);

        Assert.Equal("{\"a\":42}", Body(first));
        Assert.Equal("id-1", first.Header("lambda-runtime-aws-request-id"));
        Assert.Equal("ok", Body(second));
        Assert.Equal(1, peer.Connections);
    }

    [Fact]
    public async Task A_kept_alive_connection_the_server_closed_is_replaced_and_the_request_sent_again()
    {
        // No "Connection: close": the client keeps the connection that the peer then closes.
        await using var peer = ScriptedPeer.AnsweringEachConnectionWith("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirst");
        using var client = new RuntimeApiConnection(peer.Authority);

        Assert.Equal("first", await GetNextBodyAsync(client));
        await peer.WaitForClosedAsync(1);
        Assert.Equal("first", await GetNextBodyAsync(client));

        Assert.Equal(2, peer.Connections);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 3\r\n\r\none", "one")]
    [InlineData("HTTP/1.0 200 OK\r\n\r\none", "one")] // read to the end of the connection
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n", "ok")] // Transfer-Encoding wins over Content-Length
    public async Task A_response_after_which_the_connection_is_not_reused_is_read_whole_and_the_next_request_reconnects(string response, string body)
    {
        await using var peer = ScriptedPeer.AnsweringEachConnectionWith(response);
        using var client = new RuntimeApiConnection(peer.Authority);

        Assert.Equal(body, await GetNextBodyAsync(client));
        Assert.Equal(body, await GetNextBodyAsync(client));

        Assert.Equal(2, peer.Connections);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nnope\r\n0\r\n\r\n")]
    [InlineData("SMTP ready\r\n\r\n")]
    [InlineData("HTTP/1.1 -12 Negative\r\nContent-Length: 0\r\n\r\n")]
    [InlineData("HTTP/1.1 2000 OK\r\nContent-Length: 0\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab")]
    public async Task A_malformed_or_truncated_response_is_a_runtime_error_not_a_retry(string response)
    {
        await using var peer = ScriptedPeer.AnsweringEachConnectionWith(response);
        using var client = new RuntimeApiConnection(peer.Authority);

        await Assert.ThrowsAsync<LambdaRuntimeException>(async () => await client.SendAsync(new RuntimeApiRequest("GET", "/next"), CancellationToken.None));
        Assert.Equal(1, peer.Connections);
    }

    [Theory]
    [InlineData("GET", "HTTP/1.1 200 OK\r\nContent-")]
    [InlineData("GET", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhalf")]
    [InlineData("POST", "HTTP/1.1 202 Accep")]
    public async Task A_reused_connection_that_fails_after_response_bytes_arrived_is_not_sent_again(string method, string partialResponse)
    {
        await using var peer = ScriptedPeer.Start(async connection =>
        {
            await connection.AnswerAsync("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            await connection.AnswerAsync(partialResponse);
            connection.Reset();
        });
        using var client = new RuntimeApiConnection(peer.Authority);
        Assert.Equal("ok", await GetNextBodyAsync(client));

        var failure = await Record.ExceptionAsync(async () => await client.SendAsync(new RuntimeApiRequest(method, "/invocation/id/response", "{}"u8.ToArray(), "application/json"), CancellationToken.None));

        Assert.True(failure is LambdaRuntimeException or SocketException, $"{failure}");
        await Task.Delay(100); // a resend, had there been one, would have connected again by now
        Assert.Equal(1, peer.Connections);
        Assert.Equal(2, peer.RequestCount);
    }

    [Fact]
    public async Task Unsolicited_bytes_on_an_idle_connection_make_the_next_request_use_a_new_one()
    {
        await using var peer = ScriptedPeer.Start(async connection =>
        {
            await connection.AnswerAsync("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirst");
            if (connection.Index == 1)
            {
                await connection.WriteAsync("HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\n\r\n"); // an idle timeout, unasked
                await connection.WaitForClientToCloseAsync();
            }
        });
        using var client = new RuntimeApiConnection(peer.Authority);
        Assert.Equal("first", await GetNextBodyAsync(client));
        await peer.WaitForWrittenAsync(1, 2);

        Assert.Equal("first", await GetNextBodyAsync(client));
        Assert.Equal(2, peer.Connections);
    }

    [Fact]
    public async Task An_oversized_body_the_server_answers_before_reading_it_gets_that_answer()
    {
        await using var peer = ScriptedPeer.Start(async connection =>
        {
            await connection.ReadHeadAsync();
            await connection.WriteAsync("HTTP/1.1 413 Request Entity Too Large\r\nConnection: close\r\nContent-Length: 15\r\n\r\n{\"too\":\"large\"}");
            connection.Reset();
        });
        using var client = new RuntimeApiConnection(peer.Authority);

        var response = await client.SendAsync(new RuntimeApiRequest("POST", "/invocation/id/response", new byte[32 * 1024 * 1024], "application/json"), CancellationToken.None);

        Assert.Equal(413, response.StatusCode);
        Assert.Equal("{\"too\":\"large\"}", Body(response));
    }

    [Fact]
    public async Task Interim_responses_and_bodiless_statuses_leave_the_connection_usable()
    {
        await using var peer = ScriptedPeer.Start(async connection =>
        {
            await connection.AnswerAsync("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            await connection.AnswerAsync("HTTP/1.1 204 No Content\r\n\r\n");
            await connection.AnswerAsync($"HTTP/1.1 200 OK\r\nX-Large: {new string('x', 40_000)}\r\nContent-Length: 4\r\n\r\nlast");
        });
        using var client = new RuntimeApiConnection(peer.Authority);

        Assert.Equal("ok", await GetNextBodyAsync(client));
        Assert.Equal(204, (await client.SendAsync(new RuntimeApiRequest("POST", "/a"), CancellationToken.None)).StatusCode);
        var large = await client.SendAsync(new RuntimeApiRequest("GET", "/next"), CancellationToken.None);

        Assert.Equal(40_000, large.Header("X-Large")!.Length);
        Assert.Equal("last", Body(large));
        Assert.Equal(1, peer.Connections);
    }

    [Theory]
    [InlineData("Runtime.Bad\r\nX-Injected: 1")]
    [InlineData("Runtime.Ünicode")]
    public async Task A_header_value_that_is_not_visible_ASCII_is_refused_before_anything_is_sent(string errorType)
    {
        await using var peer = ScriptedPeer.AnsweringEachConnectionWith("HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n");
        using var client = new RuntimeApiConnection(peer.Authority);

        await Assert.ThrowsAsync<ArgumentException>(async () => await client.SendAsync(
            new RuntimeApiRequest("POST", "/invocation/id/error", "{}"u8.ToArray(), "application/json", ("Lambda-Runtime-Function-Error-Type", errorType)), CancellationToken.None));
        Assert.Equal(0, peer.Connections);
    }

    [Fact]
    public async Task Cancelling_a_long_poll_drops_the_connection_and_the_next_request_gets_a_new_one()
    {
        await using var peer = ScriptedPeer.Start(async connection =>
        {
            await connection.ReadRequestAsync();
            if (connection.Index == 1)
            {
                await connection.WaitForClientToCloseAsync(); // never answers
                return;
            }

            await connection.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nnext");
        });
        using var client = new RuntimeApiConnection(peer.Authority);
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await client.SendAsync(new RuntimeApiRequest("GET", "/next"), stop.Token));
        await peer.WaitForClosedAsync(1);

        Assert.Equal("next", await GetNextBodyAsync(client));
        Assert.Equal(2, peer.Connections);
    }

    [Fact]
    public async Task Disposing_the_connection_ends_a_long_poll_at_once()
    {
        await using var peer = ScriptedPeer.Start(async connection =>
        {
            await connection.ReadRequestAsync();
            await connection.WaitForClientToCloseAsync(); // never answers
        });
        var client = new RuntimeApiConnection(peer.Authority);
        var poll = client.SendAsync(new RuntimeApiRequest("GET", "/next"), CancellationToken.None).AsTask();
        await peer.WaitForRequestsAsync(1);

        client.Dispose();

        var failure = await Record.ExceptionAsync(() => poll.WaitAsync(Patience));
        Assert.True(failure is ObjectDisposedException or SocketException, $"The poll ended with {failure?.GetType().Name ?? "a response"}.");
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await client.SendAsync(new RuntimeApiRequest("GET", "/next"), CancellationToken.None));
    }

    [Fact]
    public async Task A_refused_connection_is_a_socket_error()
    {
        using var unused = new TcpListener(IPAddress.Loopback, 0);
        unused.Start();
        var port = ((IPEndPoint)unused.LocalEndpoint).Port;
        unused.Stop();
        using var client = new RuntimeApiConnection($"127.0.0.1:{port}");

        await Assert.ThrowsAsync<SocketException>(async () => await client.SendAsync(new RuntimeApiRequest("GET", "/next"), CancellationToken.None));
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1:")]
    [InlineData("127.0.0.1:70000")]
    public void An_address_that_is_not_host_and_port_is_refused(string authority) =>
        Assert.Throws<ArgumentException>(() => new RuntimeApiConnection(authority));

    [Fact]
    public async Task Host_names_and_bracketed_addresses_are_resolved()
    {
        await using var peer = ScriptedPeer.AnsweringEachConnectionWith("HTTP/1.1 204 No Content\r\n\r\n");

        using var byName = new RuntimeApiConnection($"localhost:{peer.Port}");
        Assert.Equal(204, (await byName.SendAsync(new RuntimeApiRequest("GET", "/next"), CancellationToken.None)).StatusCode);

        using var bracketed = new RuntimeApiConnection($"[127.0.0.1]:{peer.Port}");
        Assert.Equal(204, (await bracketed.SendAsync(new RuntimeApiRequest("GET", "/next"), CancellationToken.None)).StatusCode);
    }

    private static async Task<string> GetNextBodyAsync(RuntimeApiConnection client) =>
        Body(await client.SendAsync(new RuntimeApiRequest("GET", "/next"), CancellationToken.None));

    private static string Body(RuntimeApiResponse response)
    {
        var text = Encoding.UTF8.GetString(response.Body, 0, response.BodyLength);
        response.ReturnBody();
        return text;
    }
}
