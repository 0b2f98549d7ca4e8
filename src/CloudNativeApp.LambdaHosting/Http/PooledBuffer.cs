namespace CloudNativeApp.LambdaHosting.Http;

/// <summary>A growable byte buffer on ArrayPool arrays, kept between invocations (one per pooled feature set).</summary>
internal sealed class PooledBuffer : IBufferWriter<byte>, IDisposable
{
    // Buffers above this size go back to the pool after each invocation instead of staying with the feature set.
    private const int RetainedCapacity = 256 * 1024;

    private byte[] _array = [];
    private int _written;

    public int WrittenCount => _written;

    public ReadOnlyMemory<byte> WrittenMemory => _array.AsMemory(0, _written);

    public ReadOnlySpan<byte> WrittenSpan => _array.AsSpan(0, _written);

    public Span<byte> WrittenSpanForUpdate => _array.AsSpan(0, _written);

    public void Truncate(int length)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, _written);
        _written = length;
    }

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (_written + count > _array.Length)
        {
            throw new InvalidOperationException("Cannot advance past the end of the buffer.");
        }

        _written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        EnsureCapacity(sizeHint);
        return _array.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        EnsureCapacity(sizeHint);
        return _array.AsSpan(_written);
    }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(GetSpan(bytes.Length));
        _written += bytes.Length;
    }

    /// <summary>
    /// Hands the written bytes over in their pooled array, which the taker returns to the pool (an empty array when
    /// nothing was written); the buffer starts again without one.
    /// </summary>
    public (byte[] Array, int Length) Detach()
    {
        var detached = (_written > 0 ? _array : [], _written);
        if (_written == 0 && _array.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_array);
        }

        _array = [];
        _written = 0;
        return detached;
    }

    /// <summary>Forgets the content and keeps the array: the next part of a streamed body goes in the same place.</summary>
    public void Clear() => _written = 0;

    /// <summary>Forgets the content; large arrays are returned so an idle function does not hold megabytes.</summary>
    public void Reset()
    {
        _written = 0;
        if (_array.Length > RetainedCapacity)
        {
            ArrayPool<byte>.Shared.Return(_array);
            _array = [];
        }
    }

    public void Dispose()
    {
        _written = 0;
        if (_array.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_array);
            _array = [];
        }
    }

    private void EnsureCapacity(int sizeHint)
    {
        sizeHint = Math.Max(sizeHint, 1);
        if (_array.Length - _written >= sizeHint)
        {
            return;
        }

        var size = Math.Max(Math.Max(_written + sizeHint, _array.Length * 2), 4096);
        var larger = ArrayPool<byte>.Shared.Rent(size);
        _array.AsSpan(0, _written).CopyTo(larger);
        if (_array.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_array);
        }

        _array = larger;
    }
}
