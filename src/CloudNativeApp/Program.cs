using CloudNativeApp.Calculator;
using CloudNativeApp.Infrastructure;

var builder = WebApplication.CreateSlimBuilder(args);

builder.AddApiDefaults();
builder.AddApiDocumentation();

var app = builder.Build();

app.UseApiDefaults();
app.MapApiDocumentation();
app.MapHealthEndpoints();
app.MapCalculator();

app.Run();

public partial class Program;
