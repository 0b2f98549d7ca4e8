using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.DataModel;
using Amazon.Runtime;
using CloudNativeApp.Benchmarks.BareApp;

// The same environment as the app under kestrel-throughput.sh: ASPNETCORE_URLS, Items__TableName, AWS__ServiceURL,
// AWS__Region and the AWS_* credentials.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.TypeInfoResolverChain.Insert(0, BareJsonContext.Default));

var configuration = builder.Configuration;
var client = new AmazonDynamoDBClient(
    new BasicAWSCredentials(configuration["AWS_ACCESS_KEY_ID"] ?? "local", configuration["AWS_SECRET_ACCESS_KEY"] ?? "local"),
    new AmazonDynamoDBConfig { ServiceURL = configuration["AWS:ServiceURL"], AuthenticationRegion = configuration["AWS:Region"] ?? "us-east-1" });
var context = new DynamoDBContextBuilder().WithDynamoDBClient(() => client)
    .ConfigureContext(options => options.Conversion = DynamoDBEntryConversion.V2).Build();
var load = new LoadConfig { OverrideTableName = configuration["Items:TableName"] ?? "Items" };

var app = builder.Build();
app.MapGet("/health/ready", () => "ok");
app.MapGet("/items/{id}", async Task<IResult> (string id, CancellationToken cancellationToken) =>
    await context.LoadAsync<BareItem>(id, load, cancellationToken) is { } item ? TypedResults.Ok(item) : TypedResults.NotFound());
app.Run();
