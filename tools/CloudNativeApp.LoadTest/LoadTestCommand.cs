namespace CloudNativeApp.LoadTest;

/// <summary>
/// <c>dotnet run -c Release --project tools/CloudNativeApp.LoadTest -- --seconds 60 --clients 16 --fault</c>.
/// Not top-level statements: the app under test already owns the global <c>Program</c> type.
/// </summary>
public static class LoadTestCommand
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Contains("--help") || args.Contains("-h"))
        {
            Console.WriteLine(LoadTestOptions.Usage);
            return 0;
        }

        LoadTestOptions options;
        try
        {
            options = LoadTestOptions.Parse(args);
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException or OverflowException)
        {
            await Console.Error.WriteLineAsync(exception.Message);
            await Console.Error.WriteLineAsync(LoadTestOptions.Usage);
            return 2;
        }

        // WebApplicationFactory finds the app's content root through MvcTestingAppManifest.json in the working
        // directory, as under a test runner; the repository root (for dynalite) is settled first, from where the command ran.
        _ = RepositoryRoot.Path;
        Directory.SetCurrentDirectory(AppContext.BaseDirectory);

        using var interrupted = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            interrupted.Cancel();
        };

        var report = await LoadTestRunner.RunAsync(options, Console.Out, interrupted.Token);
        Console.WriteLine(report);
        return report.Passed ? 0 : 1;
    }
}
