namespace CloudNativeApp.Security;

/// <summary>
/// Who is calling, as far as the authentication in use can tell: the token's subject (<c>sub</c>), else the principal
/// the gateway names for callers without one (an IAM caller's user ARN, a Lambda authorizer's <c>principalId</c>; the
/// Lambda hosting layer makes those the identity's name).
/// </summary>
/// <param name="Kind"><c>sub</c>, or the authentication type that named the principal (e.g. <c>IAM</c>).</param>
/// <param name="Name">The subject or principal.</param>
public readonly record struct CallerIdentity(string Kind, string Name)
{
    public const string SubjectKind = "sub";

    /// <summary>The caller, or null when the request is anonymous or its identity names no one.</summary>
    public static CallerIdentity? Of(ClaimsPrincipal user)
    {
        if (user.FindFirstValue("sub") is { Length: > 0 } subject)
        {
            return new CallerIdentity(SubjectKind, subject);
        }

        foreach (var identity in user.Identities)
        {
            if (identity.IsAuthenticated && identity.Name is { Length: > 0 } name)
            {
                return new CallerIdentity(identity.AuthenticationType ?? "", name);
            }
        }

        return null;
    }
}
