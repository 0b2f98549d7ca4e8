namespace CloudNativeApp.Testing;

/// <summary>
/// An exclusive lock between processes: a file opened without sharing, which .NET on Linux backs with
/// <c>flock</c>, so the lock is released when its holder exits, even when it is killed.
/// </summary>
public static class FileLock
{
    /// <summary>Waits until the lock is free, polling: the holder may be another test project publishing.</summary>
    public static async Task<IDisposable> AcquireAsync(string path, TimeSpan timeout)
    {
        using var patience = new CancellationTokenSource(timeout);
        while (true)
        {
            if (TryAcquire(path) is { } held)
            {
                return held;
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), patience.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"{path} is still locked by another process after {timeout}.");
            }
        }
    }

    /// <summary>The lock, or null if another process holds it.</summary>
    public static IDisposable? TryAcquire(string path)
    {
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException) when (File.Exists(path))
        {
            return null;
        }
    }
}
