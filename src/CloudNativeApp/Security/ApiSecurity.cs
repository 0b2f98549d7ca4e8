using CloudNativeApp.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;

namespace CloudNativeApp.Security;

public static class ApiSecurity
{
    public const string AccessPolicy = "api-access";
    public const string CorsSection = "Cors:AllowedOrigins";

    /// <summary>Authentication per <c>Auth:Mode</c>, the access policy, and CORS from <c>Cors:AllowedOrigins</c>.</summary>
    public static WebApplicationBuilder AddApiSecurity(this WebApplicationBuilder builder)
    {
        var auth = builder.Configuration.GetSection(AuthOptions.SectionName).Get<AuthOptions>() ?? new AuthOptions();
        auth.Mode ??= builder.Environment.IsDevelopment() ? AuthMode.None : AuthMode.ApiGateway;
        builder.Services.AddSingleton(Options.Create(auth));
        builder.Services.Configure<OpenApiOptions>(
            ApiDocumentation.DocumentName, options => options.AddSecurityTransformers(auth, builder.Configuration.GetValue<bool>("Auth:OwnerWrites")));

        var authentication = builder.Services.AddAuthentication(auth.Mode switch
        {
            AuthMode.Jwt => JwtBearerDefaults.AuthenticationScheme,
            _ => ApiGatewayAuthenticationHandler.SchemeName,
        });
        authentication.AddScheme<AuthenticationSchemeOptions, ApiGatewayAuthenticationHandler>(ApiGatewayAuthenticationHandler.SchemeName, null);
        RemoveDataProtectionKeyRingWarmUp(builder.Services);
        if (auth.Mode == AuthMode.Jwt)
        {
            if (string.IsNullOrWhiteSpace(auth.Jwt.Authority))
            {
                throw new InvalidOperationException("Auth:Mode is Jwt but Auth:Jwt:Authority is not set (e.g. https://cognito-idp.<region>.amazonaws.com/<userPoolId>).");
            }

            authentication.AddJwtBearer(options =>
            {
                options.Authority = auth.Jwt.Authority;
                options.RequireHttpsMetadata = auth.Jwt.RequireHttpsMetadata;
                options.MapInboundClaims = false; // keep "sub" and "scope" as the issuer wrote them
                options.TokenValidationParameters.ValidateAudience = !string.IsNullOrEmpty(auth.Jwt.Audience);
                options.TokenValidationParameters.ValidAudience = auth.Jwt.Audience;
            });
        }

        builder.Services.AddSingleton<IAuthorizationHandler, ApiAccessHandler>();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(AccessPolicy, policy => policy.AddRequirements(new ApiAccessRequirement()));

        var origins = builder.Configuration.GetSection(CorsSection).Get<string[]>() ?? [];
        builder.Services.AddCors(options => options.AddDefaultPolicy(policy => policy
            .WithOrigins(origins)
            .AllowAnyHeader()
            .WithMethods(HttpMethods.Get, HttpMethods.Post, HttpMethods.Put, HttpMethods.Patch, HttpMethods.Delete)
            .WithExposedHeaders("ETag", "Location", "Retry-After")));

        return builder;
    }

    public static WebApplication UseApiSecurity(this WebApplication app)
    {
        var mode = app.Services.GetRequiredService<IOptions<AuthOptions>>().Value.Mode;
        if (mode == AuthMode.ApiGateway && app.Services.GetRequiredService<IServer>().IsKestrel())
        {
            throw new InvalidOperationException(
                "Auth:Mode is ApiGateway, which trusts the identity API Gateway established; on Kestrel no gateway vouches for it. " +
                "Set Auth:Mode to Jwt (with Auth:Jwt:Authority) or None.");
        }

        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }

        app.UseCors();
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

    /// <summary>The hosted service that data protection registers to build its key ring at startup.</summary>
    private const string DataProtectionWarmUpType = "Microsoft.AspNetCore.DataProtection.Internal.DataProtectionHostedService";

    /// <summary>
    /// AddAuthentication brings data protection, whose hosted service loads or creates a key ring at startup (XML,
    /// AES and HMAC keys): work on every Lambda cold start for keys nothing here uses, as neither API Gateway claims
    /// nor bearer tokens are protected with them. Without the warm-up a ring is still created on first use.
    /// </summary>
    private static void RemoveDataProtectionKeyRingWarmUp(IServiceCollection services)
    {
        var warmUp = services.FirstOrDefault(service => service.ServiceType == typeof(IHostedService) && service.ImplementationType?.FullName == DataProtectionWarmUpType);
        if (warmUp is not null)
        {
            services.Remove(warmUp);
        }
    }

    /// <summary>Reads anonymous when configured; writes need an authenticated user when auth is on.</summary>
    public static TBuilder RequireApiAccess<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(AccessPolicy);
}
