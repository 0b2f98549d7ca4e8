namespace CloudNativeApp.LambdaHosting.Runtime;

/// <summary>One invocation from <c>/runtime/invocation/next</c>: its headers and its event in a pooled buffer.</summary>
internal sealed class LambdaInvocation : IDisposable
{
    private byte[]? _buffer;

    public LambdaInvocation(LambdaContext context, byte[] buffer, int length)
    {
        Context = context;
        _buffer = buffer;
        Length = length;
    }

    public LambdaContext Context { get; }

    public int Length { get; }

    public ReadOnlyMemory<byte> Event => _buffer is null ? throw new ObjectDisposedException(nameof(LambdaInvocation)) : _buffer.AsMemory(0, Length);

    public void Dispose()
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
