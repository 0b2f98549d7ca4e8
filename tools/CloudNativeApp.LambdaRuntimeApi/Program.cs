using System.Net;
using System.Runtime.InteropServices;
using CloudNativeApp.LambdaRuntimeApi;

// A local Lambda Runtime API for running the Lambda build on a workstation:
//   dotnet run --project tools/CloudNativeApp.LambdaRuntimeApi -- --port 9001
//   AWS_LAMBDA_RUNTIME_API=127.0.0.1:9001 dotnet src/CloudNativeApp/bin/Release/net10.0/CloudNativeApp.dll
//   curl -s http://127.0.0.1:9001/2015-03-31/functions/function/invocations -d '{"Number1":10,"Number2":20}'

if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(CommandLine.Usage);
    return 0;
}

LambdaRuntimeApiOptions options;
try
{
    options = CommandLine.Parse(args);
}
catch (FormatException exception)
{
    await Console.Error.WriteLineAsync(exception.Message);
    await Console.Error.WriteLineAsync(CommandLine.Usage);
    return 2;
}

options.ConfigureLogging = logging => logging
    .AddFilter("Microsoft", LogLevel.Warning)
    .AddSimpleConsole(console =>
    {
        console.SingleLine = true;
        console.TimestampFormat = "HH:mm:ss.fff ";
    });

await using var server = await LambdaRuntimeApiServer.StartAsync(options);
Console.WriteLine($"""
    Lambda Runtime API listening on {server.RuntimeApiAddress} (function timeout {options.FunctionTimeout.TotalSeconds}s).
    Start the function with:  AWS_LAMBDA_RUNTIME_API={server.RuntimeApiAddress}
    Invoke it with:           curl -s {server.InvokeEndpoint} -d '{"{"}"Number1":10,"Number2":20{"}"}'
    Press Ctrl+C to stop.
    """);

var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; stop.TrySetResult(); });
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stop.TrySetResult(); });
await stop.Task;
return 0;

internal static class CommandLine
{
    public const string Usage = """
        Usage: CloudNativeApp.LambdaRuntimeApi [--port 9001] [--host 127.0.0.1] [--timeout 30]
                                               [--function-name function] [--region us-east-1]
          --port            TCP port (0 = any free port); default 9001, as in AWS's Runtime Interface Emulator
          --host            address to listen on; default 127.0.0.1 (use 0.0.0.0 to reach it from a container)
          --timeout         the function timeout in seconds; default 30
          --function-name   the function name in the invoked ARN; default "function"
          --region          the region in the invoked ARN; default us-east-1
        """;

    public static LambdaRuntimeApiOptions Parse(string[] args)
    {
        var options = new LambdaRuntimeApiOptions { Port = 9001 };
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            var value = i + 1 < args.Length ? args[++i] : throw new FormatException($"{name} needs a value.");
            switch (name)
            {
                case "--port":
                    options.Port = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= IPEndPoint.MaxPort
                        ? port
                        : throw new FormatException($"--port must be a number from 0 to {IPEndPoint.MaxPort}, not '{value}'.");
                    break;
                case "--host":
                    options.ListenAddress = IPAddress.TryParse(value, out var address) ? address : throw new FormatException($"--host must be an IP address, not '{value}'.");
                    break;
                case "--timeout":
                    options.FunctionTimeout = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds is > 0 and <= 900
                        ? TimeSpan.FromSeconds(seconds)
                        : throw new FormatException($"--timeout must be a number of seconds from 1 to 900, not '{value}'.");
                    break;
                case "--function-name":
                    options.FunctionName = value;
                    break;
                case "--region":
                    options.Region = value;
                    break;
                default:
                    throw new FormatException($"Unknown option '{name}'.");
            }
        }

        return options;
    }
}
