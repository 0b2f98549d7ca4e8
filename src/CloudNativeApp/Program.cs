using CloudNativeApp.Calculator;
using CloudNativeApp.Infrastructure;
using CloudNativeApp.Items;
using CloudNativeApp.Security;

var builder = WebApplication.CreateSlimBuilder(args);

builder.AddApiDefaults();
builder.AddRequestLimits();
builder.AddApiSecurity();
builder.AddRateLimiting();
builder.AddApiDocumentation();
builder.AddItemStore();

var app = builder.Build();

app.UseApiDefaults();
app.UseResponseHardening();
app.UseApiSecurity();
app.UseRateLimiting();
app.MapApiDocumentation();
app.MapHealthEndpoints();
app.MapCalculator();
app.MapItems();

app.Run();

public partial class Program;
