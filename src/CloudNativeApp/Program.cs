using CloudNativeApp.Calculator;
using CloudNativeApp.Items;
using CloudNativeApp.Observability;
using CloudNativeApp.Security.Authorizer;
using CloudNativeApp.Web;

var builder = WebApplication.CreateSlimBuilder(AppContentRoot.Options(args));

builder.Services.AddLambdaHosting();
builder.AddApiDefaults();
builder.AddObservability();
builder.AddRequestLimits();
builder.AddApiSecurity();
builder.AddLambdaAuthorizer();
builder.AddRateLimiting();
builder.AddApiDocumentation();
builder.AddWebApplication();
builder.AddCalculator();
builder.AddItems();

var app = builder.Build();

app.UseApiDefaults();
app.UseSecurityHeaders();
app.UseRequestLimits();
app.UseWebApplication();
app.UseApiSecurity();
app.UseRateLimiting();
app.UseApiDocumentation();

app.MapHealthEndpoints();
app.MapWebApplication();
app.MapCalculator();
app.MapItems().RequireApiAccess();

app.Run();

public partial class Program;
