using System.Diagnostics.CodeAnalysis;
using Amazon.Extensions.NETCore.Setup;
using Amazon.Runtime;
using Amazon.Util;

namespace CloudNativeApp.Items;

public static class ItemsServices
{
    /// <summary>An id no item gets (ids are random GUIDs): the priming read finds nothing.</summary>
    private const string PrimingItemId = "00000000000000000000000000000000";

    /// <summary>Everything the items API needs: its store, validators, JSON metadata and API description.</summary>
    public static WebApplicationBuilder AddItems(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        AddItemStore(services);

        // Listed rather than found by AddValidatorsFromAssemblyContaining, whose reflection scan of the assembly costs cold starts.
        services.AddScoped<IValidator<ItemRequest>, ItemRequestValidator>();
        services.AddScoped<IValidator<ItemListQuery>, ItemListQueryValidator>();
        services.AddJsonMetadata(ItemsJsonContext.Default);
        services.Configure<OpenApiOptions>(ApiDocumentation.DocumentName, options => options.AddItemsTransformers());

        // SnapStart: the snapshot holds a warm read path (a missing item: no side effect), and no DynamoDB socket.
        services.AddLambdaPrimingRequest("GET", $"/items/{PrimingItemId}");
        services.AddLambdaSnapshotHook<DynamoDbSnapshotHook>();
        return builder;
    }

    /// <summary>
    /// The item repository and idempotency store chosen by <c>Items:Store</c>, the DynamoDB client from the
    /// <c>AWS</c> section, the readiness check, 503 handling for store outages and table creation when
    /// <c>Items:CreateTable</c>.
    /// </summary>
    private static void AddItemStore(IServiceCollection services)
    {
        // Resolved lazily (and validated at startup) so configuration added by hosts and tests is seen.
        services.AddOptions<ItemStoreOptions>()
            .BindConfiguration(ItemStoreOptions.SectionName)
            .PostConfigure<IHostEnvironment>((options, environment) =>
            {
                options.Store ??= environment.IsDevelopment() ? ItemStoreKind.InMemory : ItemStoreKind.DynamoDB;
                if (string.IsNullOrWhiteSpace(options.TableName))
                {
                    options.TableName = environment.IsDevelopment() ? ItemTable.DefaultTableName : null;
                }
            })
            .Validate(
                options => options.Store != ItemStoreKind.DynamoDB || options.TableName is not null,
                "Items:TableName is required when items are stored in DynamoDB outside Development: set Items__TableName "
                + "to the table's name (or Items__Store=InMemory for a throwaway store).")
            .Validate(
                options => options.TimeoutSeconds is > 0 and <= 60 && options.RetryAfterSeconds is >= 0 and <= 3600,
                "Items:TimeoutSeconds must be in (0, 60] and Items:RetryAfterSeconds in [0, 3600].")
            .ValidateOnStart();

        services.TryAddSingleton<DynamoDbConnections>();
        services.TryAddSingleton(CreateDynamoDbClient);
        services.TryAddSingleton<IDynamoDBContext>(provider => new DynamoDBContextBuilder()
            .WithDynamoDBClient(provider.GetRequiredService<IAmazonDynamoDB>)
            .ConfigureContext(context =>
            {
                context.Conversion = DynamoDBEntryConversion.V2;
                context.RetrieveDateTimeInUtc = true;
                context.IgnoreNullValues = false;
            })
            .Build());
        AddForStoreKind<IItemRepository, InMemoryItemRepository, DynamoDbItemRepository>(services);
        AddForStoreKind<IIdempotencyStore, InMemoryIdempotencyStore, DynamoDbIdempotencyStore>(services);

        services.AddHostedService<ItemStoreInitializer>();
        services.AddExceptionHandler<ItemStoreUnavailableHandler>();
        services.AddHealthChecks().AddCheck<ItemStoreHealthCheck>("items-store", tags: [HealthEndpoints.ReadinessTag]);
    }

    /// <summary><typeparamref name="TService"/> from the implementation for the configured <c>Items:Store</c>.</summary>
    private static void AddForStoreKind<
        TService,
        [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TInMemory,
        [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TDynamoDb>(IServiceCollection services)
        where TService : class
        where TInMemory : class, TService
        where TDynamoDb : class, TService
    {
        services.TryAddSingleton<TInMemory>();
        services.TryAddSingleton<TDynamoDb>();
        services.TryAddSingleton<TService>(provider =>
            provider.GetRequiredService<IOptions<ItemStoreOptions>>().Value.Store == ItemStoreKind.InMemory
                ? provider.GetRequiredService<TInMemory>()
                : provider.GetRequiredService<TDynamoDb>());
    }

    /// <summary>
    /// The client from AWSSDK.Extensions.NETCore.Setup's <c>AWS</c> section (<c>AWS:Region</c>, <c>AWS:ServiceURL</c>, …)
    /// with the standard retry mode and short timeouts: by default the SDK waits 100 s per attempt on an endpoint
    /// that accepts connections but never answers.
    /// </summary>
    private static IAmazonDynamoDB CreateDynamoDbClient(IServiceProvider provider)
    {
        var aws = provider.GetService<AWSOptions>() ?? provider.GetRequiredService<IConfiguration>().GetAWSOptions();
        var store = provider.GetRequiredService<IOptions<ItemStoreOptions>>().Value;
        aws.DefaultClientConfig.RetryMode ??= RequestRetryMode.Standard;
        aws.DefaultClientConfig.MaxErrorRetry ??= 2;
        aws.DefaultClientConfig.Timeout ??= store.Timeout;
        aws.DefaultClientConfig.ConnectTimeout ??= TimeSpan.FromSeconds(Math.Min(2, store.TimeoutSeconds));
        var client = aws.CreateServiceClient<IAmazonDynamoDB>();

        // With a ServiceURL (a local DynamoDB, a VPC endpoint) and no AuthenticationRegion, the SDK's endpoint resolver
        // and signer each parse the region out of the URL on every request (regular expressions, and a caught exception
        // for a host that names no region): a fifth of the CPU of GET /items/{id}. Work it out once, as they would, with
        // the configured AWS:Region where the URL names none.
        if (client.Config is ClientConfig { ServiceURL: { Length: > 0 } serviceUrl, AuthenticationRegion: null or "" } urlConfig)
        {
            var region = AWSSDKUtils.DetermineRegion(serviceUrl);
            urlConfig.AuthenticationRegion = string.IsNullOrEmpty(region) ? aws.Region?.SystemName : region;
        }

        // AWSOptions has no HttpClientFactory setting; the SDK reads it from the config when it first sends.
        if (client.Config is ClientConfig config)
        {
            config.HttpClientFactory = provider.GetRequiredService<DynamoDbConnections>();
        }

        return client;
    }
}
