using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Cors.Infrastructure;

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
        Validate(auth);
        builder.Services.AddSingleton(Options.Create(auth));
        builder.Services.Configure<OpenApiOptions>(ApiDocumentation.DocumentName, options => options.AddSecurityTransformers(auth));

        var authentication = builder.Services.AddAuthentication(auth.Mode switch
        {
            AuthMode.Jwt => JwtBearerDefaults.AuthenticationScheme,
            _ => ApiGatewayAuthenticationHandler.SchemeName,
        });
        authentication.AddScheme<AuthenticationSchemeOptions, ApiGatewayAuthenticationHandler>(ApiGatewayAuthenticationHandler.SchemeName, null);

        // Built per request (they hold the request's state): factories instead of the type registrations above, which
        // the container would construct by reflection on every request under Native AOT.
        builder.Services.Replace(ServiceDescriptor.Scoped<IAuthenticationHandlerProvider>(
            provider => new AuthenticationHandlerProvider(provider.GetRequiredService<IAuthenticationSchemeProvider>())));
        builder.Services.Replace(ServiceDescriptor.Transient(provider => new ApiGatewayAuthenticationHandler(
            provider.GetRequiredService<IOptionsMonitor<AuthenticationSchemeOptions>>(), provider.GetRequiredService<ILoggerFactory>(), provider.GetRequiredService<UrlEncoder>())));
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
                options.TokenValidationParameters.ClockSkew = TimeSpan.FromSeconds(auth.ClockSkewSeconds);
                options.Events = new JwtBearerEvents { OnChallenge = BearerChallenge.WithoutDetails };
            });
        }

        builder.Services.AddSingleton<IAuthorizationHandler, ApiAccessHandler>();
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, InsufficientScopeChallenge>();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(AccessPolicy, policy => policy.AddRequirements(new ApiAccessRequirement()));
        builder.Services.AddAuthorization();
        ShareStatelessAuthorizationServices(builder.Services);

        var origins = builder.Configuration.GetSection(CorsSection).Get<string[]>() ?? [];
        builder.Services.AddCors(options => options.AddDefaultPolicy(policy => policy
            .WithOrigins(origins)
            .AllowAnyHeader()
            .WithMethods(HttpMethods.Get, HttpMethods.Post, HttpMethods.Put, HttpMethods.Patch, HttpMethods.Delete)
            .WithExposedHeaders("ETag", "Location", "Retry-After")));

        return builder;
    }

    private static void Validate(AuthOptions auth)
    {
        if (auth.ClockSkewSeconds is < 0 or > 300)
        {
            throw new InvalidOperationException("Auth:ClockSkewSeconds must be between 0 and 300.");
        }

        if (auth.OwnerWrites && auth.Mode == AuthMode.None)
        {
            throw new InvalidOperationException("Auth:OwnerWrites needs callers to be identified: set Auth:Mode to Jwt or ApiGateway.");
        }
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

        if (app.Configuration.GetSection(CorsSection).Get<string[]>() is { Length: > 0 })
        {
            app.Use(VaryByOrigin);
        }

        UseCorsWithoutReflection(app);
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

    /// <summary>
    /// With origins allowed, whether a response carries CORS headers depends on the request's Origin, so every response
    /// says so; otherwise a shared cache could give one origin the answer meant for another. The CORS middleware adds it
    /// only for some policies (several origins) and only to answers it allowed.
    /// </summary>
    private static Task VaryByOrigin(HttpContext context, RequestDelegate next)
    {
        context.Response.OnStarting(static state =>
        {
            var headers = ((HttpResponse)state).Headers;
            if (!headers.Vary.SelectMany(value => (value ?? "").Split(',', StringSplitOptions.TrimEntries)).Contains("Origin", StringComparer.OrdinalIgnoreCase))
            {
                headers.Append(Microsoft.Net.Http.Headers.HeaderNames.Vary, "Origin");
            }

            return Task.CompletedTask;
        }, context.Response);
        return next(context);
    }

    /// <summary>
    /// <c>UseCors()</c>, without its per-request cost under Native AOT: CorsMiddleware takes its policy provider as an
    /// Invoke parameter, which UseMiddleware can only bind by reflection there (MethodInfo.Invoke and a service lookup on
    /// every request). The default provider only reads options, so one instance serves every request.
    /// </summary>
    private static void UseCorsWithoutReflection(WebApplication app)
    {
        var corsService = app.Services.GetRequiredService<ICorsService>();
        var policies = app.Services.GetRequiredService<ICorsPolicyProvider>();
        var loggerFactory = app.Services.GetRequiredService<ILoggerFactory>();
        app.Use(next =>
        {
            var cors = new CorsMiddleware(next, corsService, loggerFactory);
            return context => cors.Invoke(context, policies);
        });
    }

    /// <summary>
    /// Authorization's services keep no state, but ASP.NET Core registers them transient (so apps can replace them),
    /// and under Native AOT the container builds a transient by reflection on every request: eight objects per
    /// authorized request here. Made singletons, with the same implementations. The handlers they hold are singletons
    /// or stateless (a scoped handler would be refused at startup in Development, where scopes are validated).
    /// </summary>
    private static void ShareStatelessAuthorizationServices(IServiceCollection services)
    {
        Type[] stateless =
        [
            typeof(IAuthorizationService), typeof(IAuthorizationPolicyProvider), typeof(IAuthorizationHandlerProvider),
            typeof(IAuthorizationEvaluator), typeof(IAuthorizationHandlerContextFactory), typeof(IPolicyEvaluator),
            typeof(IAuthorizationMiddlewareResultHandler), typeof(IClaimsTransformation), typeof(IAuthorizationHandler),
        ];
        for (var i = 0; i < services.Count; i++)
        {
            if (services[i] is { Lifetime: ServiceLifetime.Transient, ImplementationType: { } implementation, IsKeyedService: false } descriptor
                && stateless.Contains(descriptor.ServiceType)
                && implementation.Namespace?.StartsWith("Microsoft.AspNetCore.", StringComparison.Ordinal) == true)
            {
                services[i] = ServiceDescriptor.Singleton(descriptor.ServiceType, implementation);
            }
        }
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
