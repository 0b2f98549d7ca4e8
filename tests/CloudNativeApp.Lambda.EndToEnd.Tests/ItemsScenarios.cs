namespace CloudNativeApp.Lambda.EndToEnd.Tests;

/// <summary>
/// The items API through the event sources of one front door (<typeparamref name="TFrontDoor"/>), configured for it
/// as deployed; the derived classes choose the store.
/// </summary>
public abstract class ItemsScenarios<TFrontDoor>(FunctionFixture fixture) : IClassFixture<FunctionFixture>, IAsyncLifetime
    where TFrontDoor : IFrontDoor
{
    private PublishedFunction? function;

    protected PublishedFunction Function => function ?? throw new InvalidOperationException("The function has not started.");

    // xunit reads theory data from a static member of the test method's declaring type, this generic base.
#pragma warning disable CA1000 // Do not declare static members on generic types
    public static TheoryData<HttpEventSource> Sources => new(TFrontDoor.Sources);
#pragma warning restore CA1000

    public async Task InitializeAsync() => function = await fixture.StartOnceAsync(StartFunctionAsync);

    public Task DisposeAsync() => Task.CompletedTask;

    protected abstract Task<PublishedFunction> StartFunctionAsync(FunctionFixture owner);

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task An_item_created_through_one_event_can_be_read_back_from_its_location(HttpEventSource source)
    {
        var name = $"Lambda {source} {Guid.NewGuid():N}";

        var created = await Function.SendAsync(HttpEvent.PostJson(source, "/items", $$"""{"name":"{{name}}","category":"e2e","tags":["lambda"]}"""));

        Assert.Equal(201, created.StatusCode);
        Assert.Equal("application/json", created.MediaType);
        var location = created.Header("Location");
        Assert.NotNull(location);
        Assert.StartsWith("/items/", location, StringComparison.Ordinal);
        Assert.NotNull(created.Header("ETag"));
        var item = created.BodyJson();
        Assert.Equal(name, item.GetProperty("name").GetString());

        var read = await Function.SendAsync(HttpEvent.Get(source, location));

        Assert.Equal(200, read.StatusCode);
        Assert.Equal(created.Header("ETag"), read.Header("ETag"));
        Assert.Equal(item.GetProperty("id").GetString(), read.BodyJson().GetProperty("id").GetString());
        Assert.Equal(["lambda"], read.BodyJson().GetProperty("tags").EnumerateArray().Select(tag => tag.GetString()));
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task Items_created_through_different_sources_are_listed_by_category(HttpEventSource source)
    {
        var category = $"c{Guid.NewGuid():N}"[..20];
        foreach (var creator in TFrontDoor.Sources)
        {
            var created = await Function.SendAsync(HttpEvent.PostJson(creator, "/items", $$"""{"name":"{{creator}}","category":"{{category}}"}"""));
            Assert.Equal(201, created.StatusCode);
        }

        var listed = await Function.SendAsync(HttpEvent.Get(source, "/items") with { Query = $"category={category}" });

        Assert.Equal(200, listed.StatusCode);
        var names = listed.BodyJson().GetProperty("items").EnumerateArray().Select(item => item.GetProperty("name").GetString()).Order(StringComparer.Ordinal);
        Assert.Equal(TFrontDoor.Sources.Select(creator => creator.ToString()).Order(StringComparer.Ordinal), names);
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task A_missing_item_is_a_404_problem(HttpEventSource source)
    {
        var response = await Function.SendAsync(HttpEvent.Get(source, $"/items/{Guid.NewGuid():N}"));

        Assert.Equal(404, response.StatusCode);
        Assert.Equal("application/problem+json", response.MediaType);
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task An_invalid_item_is_a_400_validation_problem(HttpEventSource source)
    {
        var response = await Function.SendAsync(HttpEvent.PostJson(source, "/items", """{"name":"   ","category":"not a category!"}"""));

        Assert.Equal(400, response.StatusCode);
        Assert.Equal("application/problem+json", response.MediaType);
        Assert.True(response.BodyJson().TryGetProperty("errors", out _), response.Body);
    }
}

/// <summary>Items in the in-memory store (<c>Items__Store=InMemory</c>) behind API Gateway, callers signed in.</summary>
[Collection(UsesPublishedApp.Name)]
public sealed class InMemoryItemsBehindApiGatewayTests(PublishedApp app, FunctionFixture fixture) : ItemsScenarios<ApiGatewayFrontDoor>(fixture)
{
    protected override Task<PublishedFunction> StartFunctionAsync(FunctionFixture owner) => app.StartFunctionAsync(ApiGatewayFrontDoor.Configure(AppEnvironment.InMemory()));
}

/// <summary>Items in the in-memory store behind an ALB, without authentication.</summary>
[Collection(UsesPublishedApp.Name)]
public sealed class InMemoryItemsBehindAlbTests(PublishedApp app, FunctionFixture fixture) : ItemsScenarios<AlbFrontDoor>(fixture)
{
    protected override Task<PublishedFunction> StartFunctionAsync(FunctionFixture owner) => app.StartFunctionAsync(AlbFrontDoor.Configure(AppEnvironment.InMemory()));
}

/// <summary>Items in DynamoDB (dynalite), the table created by the app at startup, behind API Gateway.</summary>
[Collection(UsesPublishedApp.Name)]
public sealed class DynamoDbItemsBehindApiGatewayTests(PublishedApp app, FunctionFixture fixture) : DynamoDbItemsScenarios<ApiGatewayFrontDoor>(app, fixture);

/// <summary>Items in DynamoDB (dynalite) behind an ALB.</summary>
[Collection(UsesPublishedApp.Name)]
public sealed class DynamoDbItemsBehindAlbTests(PublishedApp app, FunctionFixture fixture) : DynamoDbItemsScenarios<AlbFrontDoor>(app, fixture);

/// <summary>Items in DynamoDB (dynalite), the table created by the app at startup; dynalite lives as long as the function.</summary>
public abstract class DynamoDbItemsScenarios<TFrontDoor>(PublishedApp app, FunctionFixture fixture) : ItemsScenarios<TFrontDoor>(fixture)
    where TFrontDoor : IFrontDoor
{
    protected override async Task<PublishedFunction> StartFunctionAsync(FunctionFixture owner)
    {
        var dynalite = await DynaliteServer.StartNewAsync();
        owner.Own(dynalite);
        return await app.StartFunctionAsync(TFrontDoor.Configure(AppEnvironment.DynamoDb(dynalite)));
    }
}
