namespace CloudNativeApp.Deployment.Tests.Documentation;

/// <summary>
/// Every command in the README's shell blocks is run, here or by a named test or by <c>.ci/run</c>, or says why it
/// cannot run on a test machine: a command added to the README without saying how it is checked fails, and so does a
/// ledger entry whose command the README no longer shows or whose test no longer exists.
/// </summary>
public sealed partial class ReadmeCommandsTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);

    /// <summary>How each command (each part of a <c>&amp;&amp;</c> chain, its trailing comment aside) is kept working.</summary>
    private static readonly Dictionary<string, Coverage> Ledger = new(StringComparer.Ordinal)
    {
        ["dotnet run --project src/CloudNativeApp"] = Coverage.RunHere,
        ["curl -s localhost:5000/calculator/add/1/2"] = Coverage.RunHere,
        ["curl -si localhost:5000/items -H 'Content-Type: application/json' -d '{\"name\":\"first\"}'"] = Coverage.RunHere,
        ["npm ci"] = Coverage.CiScript,
        ["dotnet test CloudNativeApp.sln"] = Coverage.CiScript,
        ["dotnet publish src/CloudNativeApp -c Release -r linux-x64 -o artifacts/lambda"] =
            Coverage.ByTest("The_publish_output_is_one_native_executable_bootstrap_and_its_content_files"), // PublishedApp.DocumentedCommand
        ["dotnet lambda deploy-serverless"] = Coverage.NotRunnableHere("deploys to an AWS account; the template it deploys is checked by Deployment.Tests/CloudFormation"),
        ["docker build -t cloudnativeapp ."] =
            Coverage.ByTest("The_final_stage_builds_from_the_publish_output_and_its_entry_point_serves_Lambda_invocations"), // with buildah; the build stage by DockerfileTests
        ["docker run --rm -p 8080:8080 -e Items__Store=InMemory -e Auth__Mode=None cloudnativeapp"] =
            Coverage.ByTest("Outside_Lambda_the_same_entry_point_serves_HTTP_with_the_image_environment"), // no OCI runtime here: the image's entry point and environment
    };

    [Fact]
    public void Every_readme_command_is_in_the_ledger_and_every_ledger_entry_in_the_readme()
    {
        var documented = ReadmeCommands().Select(command => command.Text).ToHashSet(StringComparer.Ordinal);

        var unaccounted = documented.Where(command => !Ledger.ContainsKey(command)).ToList();
        var stale = Ledger.Keys.Where(command => !documented.Contains(command)).ToList();

        Assert.True(unaccounted.Count == 0, $"README commands with no ledger entry (say how each is checked):\n{string.Join('\n', unaccounted)}");
        Assert.True(stale.Count == 0, $"Ledger entries the README no longer shows:\n{string.Join('\n', stale)}");
    }

    [Fact]
    public void Commands_covered_elsewhere_name_a_test_that_exists_or_a_line_of_the_ci_script()
    {
        var testSources = string.Join('\n', Directory.EnumerateFiles(RepositoryRoot.Resolve("tests"), "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText));
        var ciScript = File.ReadAllText(RepositoryRoot.Resolve(".ci", "run"));

        foreach (var (command, coverage) in Ledger)
        {
            switch (coverage.Kind)
            {
                case CoverageKind.Test:
                    Assert.True(testSources.Contains($" {coverage.Evidence}(", StringComparison.Ordinal), $"'{command}': no test named {coverage.Evidence}");
                    break;
                case CoverageKind.CiScript:
                    Assert.True(ciScript.Contains(command, StringComparison.Ordinal), $"'{command}' is not in .ci/run");
                    break;
                case CoverageKind.NotRunnableHere:
                    Assert.False(string.IsNullOrWhiteSpace(coverage.Evidence), $"'{command}': say why it cannot run here");
                    break;
            }
        }
    }

    /// <summary>The quick start as a newcomer runs it: <c>dotnet run</c>, then each curl, its output holding what its comment says.</summary>
    [Fact]
    public async Task The_quick_start_runs_as_written_and_answers_what_its_comments_say()
    {
        var runHere = ReadmeCommands().Where(command => Ledger.TryGetValue(command.Text, out var coverage) && coverage.Kind == CoverageKind.RunHere).ToList();
        var start = Assert.Single(runHere, command => command.Text.StartsWith("dotnet run ", StringComparison.Ordinal));
        // No build server may outlive the test; file watchers poll (a shared machine has few inotify instances).
        var environment = new Dictionary<string, string?>
        {
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
            ["MSBUILDDISABLENODEREUSE"] = "1",
            ["DOTNET_USE_POLLING_FILE_WATCHER"] = "true",
        };

        // As written, on a free port instead of 5000 (a shared test machine may have 5000 taken).
        await using var app = AppProcess.Start("dotnet", RepositoryRoot.Resolve(), environment, [.. Arguments(start.Text), "--urls", "http://127.0.0.1:0"]);
        Uri address;
        try
        {
            address = await app.ListeningAddressAsync(Patience);
        }
        catch (Exception exception) when (exception is TimeoutException or InvalidOperationException)
        {
            throw new InvalidOperationException($"{start.Text} did not start listening: {exception.Message}\n{app.Output}", exception);
        }

        foreach (var curl in runHere.Where(command => command.Text.StartsWith("curl ", StringComparison.Ordinal)))
        {
            var output = await RunAsync(curl.Text.Replace("localhost:5000", address.Authority, StringComparison.Ordinal));
            Assert.False(string.IsNullOrEmpty(curl.Comment), $"'{curl.Text}' says nothing about what it answers");
            foreach (var expected in curl.Comment!.Split(", "))
            {
                Assert.True(output.Contains(expected, StringComparison.Ordinal), $"'{curl.Text}' should answer {expected}; it answered:\n{output}");
            }
        }
    }

    /// <summary>The commands of the README's bash blocks: continuation lines joined, <c>&amp;&amp;</c> chains split, comments apart.</summary>
    internal static IEnumerable<DocumentedCommand> ReadmeCommands()
    {
        var readme = File.ReadAllText(RepositoryRoot.Resolve("README.md"));
        foreach (Match block in BashBlock().Matches(readme))
        {
            var line = "";
            foreach (var raw in block.Groups["body"].Value.Split('\n'))
            {
                var text = raw.Trim();
                if (line.Length == 0 && (text.Length == 0 || text.StartsWith('#')))
                {
                    continue;
                }

                line = line.Length == 0 ? text : $"{line} {text}";
                if (line.EndsWith('\\'))
                {
                    line = line[..^1].TrimEnd();
                    continue;
                }

                var comment = TrailingComment().Match(line);
                var command = comment.Success ? line[..comment.Index] : line;
                foreach (var part in command.Split(" && "))
                {
                    yield return new DocumentedCommand(part.Trim(), comment.Success ? comment.Groups["comment"].Value.Trim() : null);
                }

                line = "";
            }
        }
    }

    private static string[] Arguments(string command) => command.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..];

    private static async Task<string> RunAsync(string command) =>
        (await ChildProcess.RunAsync(new ProcessStartInfo("bash", ["-c", command]), Patience, command)).Output;

    [GeneratedRegex(@"```bash\n(?<body>.*?)```", RegexOptions.Singleline)]
    private static partial Regex BashBlock();

    // A shell comment: "#" after whitespace, outside quotes (README commands quote no "#").
    [GeneratedRegex(@"\s+#\s(?<comment>.*)$")]
    private static partial Regex TrailingComment();

    internal sealed record DocumentedCommand(string Text, string? Comment);

    private enum CoverageKind
    {
        RunHere,
        CiScript,
        Test,
        NotRunnableHere,
    }

    private sealed record Coverage(CoverageKind Kind, string? Evidence)
    {
        public static readonly Coverage RunHere = new(CoverageKind.RunHere, null);
        public static readonly Coverage CiScript = new(CoverageKind.CiScript, null);

        public static Coverage ByTest(string testMethod) => new(CoverageKind.Test, testMethod);

        public static Coverage NotRunnableHere(string reason) => new(CoverageKind.NotRunnableHere, reason);
    }
}
