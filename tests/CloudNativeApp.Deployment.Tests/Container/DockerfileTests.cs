namespace CloudNativeApp.Deployment.Tests.Container;

public sealed class DockerfileTests
{
    private static readonly Dockerfile File = Dockerfile.Load();

    [Fact]
    public async Task Dockerfile_lints_without_a_single_warning()
    {
        var (exitCode, output) = await NodeTool.RunAsync("dockerfile-utils/bin/dockerfile-utils", "lint", Dockerfile.Path);

        Assert.True(exitCode == 0 && output.Length == 0, $"dockerfile-utils lint (exit {exitCode}):{Environment.NewLine}{output}");
    }

    [Fact]
    public async Task The_linter_reports_a_broken_copy_of_the_Dockerfile()
    {
        var broken = Path.Combine(Path.GetTempPath(), $"Dockerfile-broken-{Guid.NewGuid():N}");
        await System.IO.File.WriteAllTextAsync(broken, await System.IO.File.ReadAllTextAsync(Dockerfile.Path) + "EXPOSE http\nENTRYPOINT [\"/bin/sh\"]\n");
        try
        {
            var (_, output) = await NodeTool.RunAsync("dockerfile-utils/bin/dockerfile-utils", "lint", broken);

            Assert.Contains("Invalid containerPort: http", output, StringComparison.Ordinal);
            Assert.Contains("only be one ENTRYPOINT", output, StringComparison.Ordinal);
        }
        finally
        {
            System.IO.File.Delete(broken);
        }
    }

    [Fact]
    public void Every_file_the_build_stage_copies_exists_and_is_in_the_build_context()
    {
        var ignore = DockerIgnore.Load();
        var build = File.Stage("build");

        foreach (var copy in build.Copies)
        {
            Assert.Null(copy.From);
            foreach (var source in copy.Sources)
            {
                var path = RepositoryRoot.Resolve(source.TrimEnd('/'));
                Assert.True(System.IO.File.Exists(path) || Directory.Exists(path), $"COPY {source}: no such file in the repository.");
                Assert.True(Directory.Exists(path) || ignore.IsInContext(source), $"COPY {source}: excluded by .dockerignore.");
            }
        }
    }

    [Fact]
    public void Every_project_the_app_builds_from_is_copied_before_the_restore_layer()
    {
        var copied = File.Stage("build").Copies.SelectMany(copy => copy.Sources).ToHashSet(StringComparer.Ordinal);

        // Walk the app's ProjectReferences: a project missing here breaks `dotnet restore` in the image build.
        var pending = new Queue<string>(["src/CloudNativeApp/CloudNativeApp.csproj"]);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (pending.TryDequeue(out var project) && seen.Add(project))
        {
            Assert.True(copied.Contains(project), $"The build stage does not COPY {project} before `dotnet restore`.");
            var document = System.Xml.Linq.XDocument.Load(RepositoryRoot.Resolve(project));
            foreach (var reference in document.Descendants("ProjectReference").Select(element => element.Attribute("Include")!.Value))
            {
                var full = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(RepositoryRoot.Resolve(project))!, reference.Replace('\\', '/')));
                pending.Enqueue(Path.GetRelativePath(RepositoryRoot.Path, full).Replace('\\', '/'));
            }
        }

        Assert.Contains("src/CloudNativeApp.LambdaHosting/CloudNativeApp.LambdaHosting.csproj", seen); // the walk follows references
    }

    [Fact]
    public void The_build_context_holds_the_sources_publish_needs_and_no_build_output()
    {
        var ignore = DockerIgnore.Load();
        var sources = Directory.EnumerateFiles(RepositoryRoot.Resolve("src"), "*", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(RepositoryRoot.Path, path).Replace('\\', '/'))
            .ToList();

        Assert.All(sources.Where(path => !path.Contains("/bin/", StringComparison.Ordinal) && !path.Contains("/obj/", StringComparison.Ordinal)),
            path => Assert.True(ignore.IsInContext(path), $"{path} is needed by `dotnet publish` but .dockerignore leaves it out."));
        Assert.All(["global.json", "Directory.Build.props", "Directory.Packages.props", ".editorconfig"],
            path => Assert.True(ignore.IsInContext(path), $"{path} is left out of the build context."));
        Assert.All(["src/CloudNativeApp/bin/Release/net10.0/CloudNativeApp.dll", "src/CloudNativeApp/obj/project.assets.json", "node_modules/dynalite/package.json", "tests/CloudNativeApp.Tests/CloudNativeApp.Tests.csproj", ".git/HEAD"],
            path => Assert.False(ignore.IsInContext(path), $"{path} should not be sent to the builder."));
    }

    [Fact]
    public void The_build_stage_runs_the_documented_publish_command_for_the_target_architecture()
    {
        var publish = File.Stage("build").All("RUN").Single(run => run.StartsWith("dotnet publish", StringComparison.Ordinal));
        var documented = PublishedApp.DocumentedCommand
            .Replace("-r linux-x64", "-r \"$(cat /tmp/rid)\"", StringComparison.Ordinal)
            .Replace($"-o {PublishedApp.DocumentedOutput}", "--no-restore -o /app/publish", StringComparison.Ordinal);

        Assert.Equal(documented, publish);
        Assert.Contains(File.Stage("build").All("RUN"), run => run.Contains("arm64) rid=linux-arm64", StringComparison.Ordinal) && run.Contains("amd64) rid=linux-x64", StringComparison.Ordinal));
    }

    [Fact]
    public void The_final_stage_copies_the_publish_output_and_starts_its_bootstrap()
    {
        var final = File.FinalStage;
        var copy = Assert.Single(final.Copies);
        var workingDirectory = final.Last("WORKDIR");

        Assert.Equal("published", copy.From);
        Assert.Equal(["/app/publish/"], copy.Sources);
        Assert.Equal("FROM ${PUBLISHED} AS published", $"FROM {File.Stage("published").BaseImage} AS published");
        Assert.Equal("build", File.GlobalArguments["PUBLISHED"]);
        Assert.Equal("/var/task", workingDirectory);
        Assert.Equal($"{workingDirectory}/", copy.Destination);
        Assert.Equal([$"{workingDirectory}/bootstrap"], final.Entrypoint);
    }

    [Fact]
    public void The_final_stage_is_small_non_root_and_serves_on_port_8080()
    {
        var final = File.FinalStage;

        Assert.Equal("${RUNTIME_IMAGE}", final.BaseImage);
        Assert.Equal("public.ecr.aws/lambda/provided:al2023", File.GlobalArguments["RUNTIME_IMAGE"]);
        Assert.Equal("mcr.microsoft.com/dotnet/sdk:10.0", File.GlobalArguments["SDK_IMAGE"]);
        Assert.Empty(final.All("RUN")); // Nothing runs in the final stage: no SDK, no package manager, buildable from scratch.
        Assert.Equal("8080", final.Environment["ASPNETCORE_HTTP_PORTS"]);
        Assert.Equal("8080", final.Last("EXPOSE"));
        var user = final.Last("USER");
        Assert.NotNull(user);
        Assert.DoesNotMatch("^(0|root)(:|$)", user);
    }
}
