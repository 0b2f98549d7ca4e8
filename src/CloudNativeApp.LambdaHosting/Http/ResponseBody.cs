using System.IO.Pipelines;

namespace CloudNativeApp.LambdaHosting.Http;

/// <summary>
/// The response body as a stream: writes go to the invocation's buffer; a streamed response sends it once enough has
/// accumulated or on a flush (<see cref="StreamingResponseBody"/>).
/// </summary>
internal sealed class ResponseBodyStream(LambdaHttpFeatures features) : Stream
{
    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        features.EnsureStarted();
        features.ResponseBuffer.Write(buffer);
        features.Streaming.AfterWrite();
    }

    public override void WriteByte(byte value) => Write([value]);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await features.EnsureStartedAsync().ConfigureAwait(false);
        features.ResponseBuffer.Write(buffer.Span);
        await features.Streaming.AfterWriteAsync().ConfigureAwait(false);
    }

    public override void Flush()
    {
        features.EnsureStarted();
        features.Streaming.Flush();
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => features.StartAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}

/// <summary>
/// The response body as a PipeWriter over the same buffer, without the copy a stream adapter would add. A streamed
/// response goes out on FlushAsync (and WriteAsync, which flushes), like Kestrel's.
/// </summary>
internal sealed class ResponseBodyPipeWriter(LambdaHttpFeatures features) : PipeWriter
{
    private bool _completed;

    public void Reset() => _completed = false;

    public override void Advance(int bytes) => features.ResponseBuffer.Advance(bytes);

    public override Memory<byte> GetMemory(int sizeHint = 0)
    {
        ThrowIfCompleted();
        features.EnsureStarted();
        return features.ResponseBuffer.GetMemory(sizeHint);
    }

    public override Span<byte> GetSpan(int sizeHint = 0)
    {
        ThrowIfCompleted();
        features.EnsureStarted();
        return features.ResponseBuffer.GetSpan(sizeHint);
    }

    public override bool CanGetUnflushedBytes => true;

    // A serializer writing to the pipe flushes once this passes its threshold, which is what a streamed response needs.
    public override long UnflushedBytes => features.Streaming.IsActive ? features.ResponseBuffer.WrittenCount : 0;

    public override void CancelPendingFlush()
    {
    }

    public override void Complete(Exception? exception = null) => _completed = true;

    public override async ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        await features.StartAsync(cancellationToken).ConfigureAwait(false);
        return new FlushResult(isCanceled: false, isCompleted: false);
    }

    public override async ValueTask<FlushResult> WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
    {
        ThrowIfCompleted();
        await features.EnsureStartedAsync().ConfigureAwait(false);
        features.ResponseBuffer.Write(source.Span);
        await features.Streaming.FlushAsync().ConfigureAwait(false);
        return new FlushResult(isCanceled: false, isCompleted: false);
    }

    private void ThrowIfCompleted()
    {
        if (_completed)
        {
            throw new InvalidOperationException("The response body writer has been completed.");
        }
    }
}
