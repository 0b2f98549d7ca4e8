namespace CloudNativeApp.LambdaHosting.Translation;

/// <summary>
/// Where the event's authorizer section and IAM identity are, as found by the event's one read (see
/// <see cref="LambdaEvent"/>); their claims are read from those bytes only when the app asks for the user.
/// </summary>
internal sealed class AuthorizerIdentity : ICallerIdentity
{
    private LambdaEventSource _source;
    private ReadOnlyMemory<byte> _json;
    private EventValue _authorizer;
    private EventValue _iamIdentity;

    public void Set(LambdaEventSource source, ReadOnlyMemory<byte> json, EventValue authorizer, EventValue iamIdentity)
    {
        _source = source;
        _json = json;
        _authorizer = authorizer;
        _iamIdentity = iamIdentity;
    }

    /// <summary>Forgets the event (its memory belongs to the caller).</summary>
    public void Clear() => Set(default, default, default, default);

    public ClaimsPrincipal? CreatePrincipal() =>
        AuthorizerClaims.CreatePrincipal(_source, Slice(_authorizer), Slice(_iamIdentity));

    private ReadOnlySpan<byte> Slice(EventValue value) => value.IsObject ? _json.Span.Slice(value.Start, value.Length) : default;
}
