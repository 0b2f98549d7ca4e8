using CloudNativeApp.Calculator;
using CloudNativeApp.Infrastructure;
using CloudNativeApp.Tests.Calculator;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.Json;

namespace CloudNativeApp.Tests.Infrastructure;

/// <summary>What the app leaves out of startup so Lambda cold starts stay short (README, Lambda hosting: cold start).</summary>
public sealed class StartupWorkTests(CalculatorApp app) : IClassFixture<CalculatorApp>
{
    [Fact]
    public void No_data_protection_key_ring_is_built_at_startup()
    {
        var hostedServices = app.Services.GetServices<IHostedService>().Select(service => service.GetType()).ToList();

        // By assembly, so a renamed warm-up service in a later ASP.NET Core fails this test instead of slipping back in.
        Assert.DoesNotContain(hostedServices, type => type.Assembly == typeof(DataProtectionOptions).Assembly);
        Assert.Contains(typeof(ItemStoreInitializer), hostedServices);
    }

    [Theory]
    [InlineData(typeof(CalculationRequest), typeof(CalculatorJsonContext))]
    [InlineData(typeof(CalculationResult), typeof(CalculatorJsonContext))]
    [InlineData(typeof(Item), typeof(ItemsJsonContext))]
    [InlineData(typeof(ItemRequest), typeof(ItemsJsonContext))]
    [InlineData(typeof(ItemPage), typeof(ItemsJsonContext))]
    public void The_api_types_have_compile_time_json_metadata_from_their_feature(Type type, Type featureContext)
    {
        var options = app.Services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;

        Assert.IsType(featureContext, options.GetTypeInfo(type).OriginatingResolver);
    }

    /// <summary>No reflection fallback, on the JIT as in the Native AOT build: a type missing from the contexts fails here first.</summary>
    [Fact]
    public void Types_without_compile_time_metadata_do_not_serialize_on_fresh_options()
    {
        var options = new JsonSerializerOptions();
        ApiDefaults.ConfigureJson(options, CalculatorJsonContext.Default);

        Assert.Throws<NotSupportedException>(() => JsonSerializer.Serialize(new { Count = 2 }, options));
        Assert.Same(CalculatorJsonContext.Default, options.GetTypeInfo(typeof(CalculationResult)).OriginatingResolver);
    }

    [Fact]
    public void Compile_time_metadata_keeps_the_api_naming_and_strictness()
    {
        var options = app.Services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;

        var json = JsonSerializer.Serialize(new CalculationResult(10, 20, 30, 200, -10, 0.5m), options);
        Assert.Equal("""{"number1":10,"number2":20,"sum":30,"product":200,"difference":-10,"quotient":0.5}""", json);
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<CalculationRequest>("""{"number1":1,"number2":2,"number3":3}""", options));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<CalculationRequest>("""{"number1":1}""", options));
    }
}

public sealed class LazyBranchTests
{
    [Fact]
    public async Task The_branch_is_built_on_the_first_matching_request_only_and_falls_through_to_the_main_pipeline()
    {
        var builds = 0;
        var pipeline = new ApplicationBuilder(new ServiceCollection().BuildServiceProvider());
        pipeline.UseLazyBranch("/docs", branch =>
        {
            builds++;
            branch.Use(next => context => context.Request.Path == "/docs/page" ? context.Response.WriteAsync("branch") : next(context));
        });
        pipeline.Run(context =>
        {
            context.Response.StatusCode = StatusCodes.Status418ImATeapot;
            return Task.CompletedTask;
        });
        var app = pipeline.Build();

        Assert.Equal(StatusCodes.Status418ImATeapot, await SendAsync(app, "/other"));
        Assert.Equal(StatusCodes.Status418ImATeapot, await SendAsync(app, "/docsx"));
        Assert.Equal(0, builds);

        Assert.Equal(StatusCodes.Status200OK, await SendAsync(app, "/docs/page"));
        Assert.Equal(StatusCodes.Status418ImATeapot, await SendAsync(app, "/docs/unknown"));
        Assert.Equal(StatusCodes.Status200OK, await SendAsync(app, "/docs/page"));
        Assert.Equal(1, builds);
    }

    private static async Task<int> SendAsync(RequestDelegate app, string path)
    {
        var context = new DefaultHttpContext();
        context.Request.Path = path;
        context.Response.Body = new MemoryStream();
        await app(context);
        return context.Response.StatusCode;
    }
}
