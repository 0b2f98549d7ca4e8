using System.Buffers;

namespace CloudNativeApp.LambdaRuntimeApi;

/// <summary>
/// A response the function is streaming (<c>Lambda-Runtime-Function-Response-Mode: streaming</c>), as it arrives:
/// kept whole for the outcome, and readable from any position while it grows, so the Invoke API can relay it
/// to its caller piece by piece, and stop relaying when the caller goes, without holding the function up.
/// </summary>
internal sealed class StreamedResponse(string? contentType, string? announcedTrailers, string connectionId)
{
    private static ReadOnlySpan<byte> Delimiter => [0, 0, 0, 0, 0, 0, 0, 0];

    private readonly Lock gate = new();
    private readonly ArrayBufferWriter<byte> payload = new(64 * 1024);
    private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int reads;
    private bool completed;

    public string? ContentType { get; } = contentType;

    public bool IsHttpIntegrationResponse => string.Equals(ContentType, StreamedPayload.HttpIntegrationContentType, StringComparison.OrdinalIgnoreCase);

    public long FirstByteTimestamp { get; private set; }

    public long FirstBodyByteTimestamp { get; private set; }

    public FunctionError? Error { get; private set; }

    public long Length
    {
        get
        {
            lock (gate)
            {
                return payload.WrittenCount;
            }
        }
    }

    /// <summary>Bytes read from the function's request body (one read may hold several of its chunks, or part of one).</summary>
    public void Append(ReadOnlySequence<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return;
        }

        TaskCompletionSource signal;
        lock (gate)
        {
            var now = Stopwatch.GetTimestamp();
            if (FirstByteTimestamp == 0)
            {
                FirstByteTimestamp = now;
            }

            foreach (var segment in bytes)
            {
                payload.Write(segment.Span);
            }

            reads++;
            if (FirstBodyByteTimestamp == 0 && BodyStart() is { } bodyStart && payload.WrittenCount > bodyStart)
            {
                FirstBodyByteTimestamp = now;
            }

            signal = changed;
            changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        signal.TrySetResult();
    }

    /// <summary>The function ended the body; with error trailers when it failed after the response began.</summary>
    public StreamedPayload Complete(FunctionError? error)
    {
        TaskCompletionSource signal;
        StreamedPayload result;
        lock (gate)
        {
            // The first end counts: the function's last chunk, or a timeout that came first.
            if (!completed)
            {
                completed = true;
                Error = error;
            }

            signal = changed;
            result = new StreamedPayload(payload.WrittenMemory, ContentType, Error, FirstByteTimestamp, FirstBodyByteTimestamp, reads, announcedTrailers, connectionId);
        }

        signal.TrySetResult();
        return result;
    }

    /// <summary>What arrived from <paramref name="position"/> on, waiting until something has; empty and true at the end.</summary>
    public async ValueTask<(ReadOnlyMemory<byte> Bytes, bool Completed)> ReadAsync(long position, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task wait;
            lock (gate)
            {
                if (payload.WrittenCount > position || completed)
                {
                    // The writer only appends, and a grown buffer leaves the old array as it was: the slice stays valid.
                    return (payload.WrittenMemory[(int)position..], completed && payload.WrittenCount == position);
                }

                wait = changed.Task;
            }

            await wait.WaitAsync(cancellationToken);
        }
    }

    // Where the body starts after the prelude and its delimiter, once both have arrived.
    private int? BodyStart()
    {
        if (!IsHttpIntegrationResponse)
        {
            return 0;
        }

        var index = payload.WrittenSpan.IndexOf(Delimiter);
        return index < 0 ? null : index + Delimiter.Length;
    }
}

/// <summary>How a streamed response arrived: its payload, error trailers and timing.</summary>
public sealed class StreamedPayload
{
    public const string HttpIntegrationContentType = "application/vnd.awslambda.http-integration-response";

    internal StreamedPayload(ReadOnlyMemory<byte> payload, string? contentType, FunctionError? error, long firstByte, long firstBodyByte, int reads, string? announcedTrailers, string connectionId)
    {
        Payload = payload;
        ContentType = contentType;
        Error = error;
        FirstByteTimestamp = firstByte;
        FirstBodyByteTimestamp = firstBodyByte;
        Reads = reads;
        AnnouncedTrailers = announcedTrailers;
        ConnectionId = connectionId;
    }

    /// <summary>Everything the function sent (for an HTTP integration: prelude, eight NULs, body).</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    public string? ContentType { get; }

    /// <summary>The <c>Lambda-Runtime-Function-Error-Type</c>/<c>-Body</c> trailers (body base64-decoded); null without.</summary>
    public FunctionError? Error { get; }

    /// <summary>When the first payload byte arrived (<see cref="Stopwatch.GetTimestamp"/>).</summary>
    public long FirstByteTimestamp { get; }

    /// <summary>When the first byte after the HTTP prelude arrived (the first byte for other payloads); 0 if none did.</summary>
    public long FirstBodyByteTimestamp { get; }

    /// <summary>How many reads the body took: more than one means it arrived in pieces over time.</summary>
    public int Reads { get; }

    /// <summary>The request's <c>Trailer</c> header: the trailer fields the function announced.</summary>
    public string? AnnouncedTrailers { get; }

    /// <summary>The id of the connection the response came on (a runtime must close it afterwards).</summary>
    public string ConnectionId { get; }

    /// <summary>The HTTP prelude (status, headers, cookies) of an HTTP integration response.</summary>
    public JsonElement Prelude()
    {
        var end = DelimiterIndex();
        using var document = JsonDocument.Parse(Payload[..end]);
        return document.RootElement.Clone();
    }

    /// <summary>The HTTP body: the payload after the prelude and its eight NULs (all of it for other payloads).</summary>
    public ReadOnlyMemory<byte> Body =>
        string.Equals(ContentType, HttpIntegrationContentType, StringComparison.OrdinalIgnoreCase) ? Payload[(DelimiterIndex() + 8)..] : Payload;

    private int DelimiterIndex()
    {
        ReadOnlySpan<byte> delimiter = [0, 0, 0, 0, 0, 0, 0, 0];
        var index = Payload.Span.IndexOf(delimiter);
        return index >= 0 ? index : throw new InvalidOperationException("The streamed payload has no prelude delimiter (eight NUL bytes).");
    }
}
