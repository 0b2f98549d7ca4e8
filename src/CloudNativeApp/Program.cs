using CloudNativeApp.Calculator;
using CloudNativeApp.Infrastructure;
using CloudNativeApp.Items;
using CloudNativeApp.LambdaHosting;

var builder = WebApplication.CreateSlimBuilder(args);

builder.AddApiDefaults();
builder.AddApiDocumentation();
builder.AddItemStore();
builder.Services.AddLambdaHosting();
builder.Services.AddCalculatorLambdaHandler();

var app = builder.Build();

app.UseApiDefaults();
app.MapApiDocumentation();
app.MapHealthEndpoints();
app.MapCalculator();
app.MapItems();

app.Run();

public partial class Program;
