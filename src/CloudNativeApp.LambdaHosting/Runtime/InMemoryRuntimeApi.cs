namespace CloudNativeApp.LambdaHosting.Runtime;

/// <summary>
/// One invocation's exchange with the Runtime API, played from memory: the <c>/next</c> answer carrying
/// <c>eventJson</c>, then 202 for whatever the client posts. Priming runs the real <see cref="LambdaRuntimeClient"/>
/// (request writing, response parsing, the invocation's context) over this, so that code is warm in the snapshot
/// while no socket is open in it.
/// </summary>
internal sealed class InMemoryRuntimeApi : RuntimeApiTransport
{
    private static readonly byte[] Accepted = Encoding.ASCII.GetBytes(
        "HTTP/1.1 202 Accepted\r\nContent-Type: application/json\r\nContent-Length: 15\r\n\r\n{\"status\":\"OK\"}");

    private readonly Queue<byte[]> _answers = new();
    private readonly MemoryStream _sent = new();
    private ReadOnlyMemory<byte> _current;

    public InMemoryRuntimeApi(string requestId, string traceHeader, ReadOnlyMemory<byte> eventJson, DateTimeOffset deadline, string functionArn)
    {
        var head = new StringBuilder(512)
            .Append("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n")
            .Append("Lambda-Runtime-Aws-Request-Id: ").Append(requestId).Append("\r\n")
            .Append("Lambda-Runtime-Deadline-Ms: ").Append(deadline.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)).Append("\r\n")
            .Append("Lambda-Runtime-Invoked-Function-Arn: ").Append(functionArn).Append("\r\n")
            .Append("Lambda-Runtime-Trace-Id: ").Append(traceHeader).Append("\r\n")
            .Append("Content-Length: ").Append(eventJson.Length.ToString(CultureInfo.InvariantCulture)).Append("\r\n\r\n");
        var next = new byte[Encoding.ASCII.GetByteCount(head.ToString()) + eventJson.Length];
        var headLength = Encoding.ASCII.GetBytes(head.ToString(), next);
        eventJson.Span.CopyTo(next.AsSpan(headLength));
        _answers.Enqueue(next);
        _answers.Enqueue(Accepted);
    }

    /// <summary>Everything the client sent: its requests, as they would have gone over the wire.</summary>
    public string Sent => Encoding.UTF8.GetString(_sent.GetBuffer(), 0, (int)_sent.Length);

    public override bool HasDataToRead => false;

    public override bool IsIdle => true;

    public override ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (_current.IsEmpty && _answers.Count > 0)
        {
            _current = _answers.Dequeue();
        }

        var count = Math.Min(buffer.Length, _current.Length);
        _current[..count].CopyTo(buffer);
        _current = _current[count..];
        return new(count);
    }

    public override ValueTask SendAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        _sent.Write(bytes.Span);
        return ValueTask.CompletedTask;
    }

    public override void Dispose() => _sent.Dispose();
}
