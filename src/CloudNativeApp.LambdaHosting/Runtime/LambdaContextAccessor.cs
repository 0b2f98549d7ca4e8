namespace CloudNativeApp.LambdaHosting.Runtime;

/// <summary>The invocation in progress, for injecting <see cref="ILambdaContext"/> anywhere in the call.</summary>
internal sealed class LambdaContextAccessor
{
    private readonly AsyncLocal<ILambdaContext?> _current = new();

    public ILambdaContext? Current
    {
        get => _current.Value;
        set => _current.Value = value;
    }
}
