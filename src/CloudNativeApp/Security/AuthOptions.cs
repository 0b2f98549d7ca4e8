namespace CloudNativeApp.Security;

public enum AuthMode
{
    /// <summary>No authentication: everything is anonymous (the Development default).</summary>
    None,

    /// <summary>Bearer tokens validated in the app (e.g. a Cognito user pool as the authority).</summary>
    Jwt,

    /// <summary>Trust the identity API Gateway's authorizer established (the production default in Lambda).</summary>
    ApiGateway,
}

/// <summary>Configuration section <c>Auth</c>.</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>Defaults to <see cref="AuthMode.None"/> in Development and <see cref="AuthMode.ApiGateway"/> elsewhere.</summary>
    public AuthMode? Mode { get; set; }

    /// <summary>GET and HEAD requests need no identity when true; writes always need one when auth is on.</summary>
    public bool AllowAnonymousReads { get; set; } = true;

    /// <summary>When set, writes also need this OAuth scope (space-separated <c>scope</c> claim or <c>scp</c>): 403 without it.</summary>
    public string? WriteScope { get; set; }

    /// <summary>
    /// Only the item's creator (its <c>createdBy</c>) may replace, patch or delete it: 403 for anyone else. Needs a
    /// mode that identifies callers (Jwt or ApiGateway).
    /// </summary>
    public bool OwnerWrites { get; set; }

    /// <summary>Tolerance for the clocks of the token issuer and this host when checking a JWT's lifetime. [0, 300].</summary>
    public int ClockSkewSeconds { get; set; } = 30;

    public JwtSettings Jwt { get; set; } = new();

    public sealed class JwtSettings
    {
        /// <summary>The token issuer, e.g. <c>https://cognito-idp.{region}.amazonaws.com/{userPoolId}</c>.</summary>
        public string? Authority { get; set; }

        /// <summary>Expected <c>aud</c> (a Cognito app client id for ID tokens). Unset: the audience is not checked.</summary>
        public string? Audience { get; set; }

        public bool RequireHttpsMetadata { get; set; } = true;
    }
}
