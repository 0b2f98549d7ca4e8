using System.Formats.Tar;
using CloudNativeApp.LambdaRuntimeApi;

namespace CloudNativeApp.Deployment.Tests.Container;

/// <summary>
/// Builds the Dockerfile's final stage with buildah from local parts only: the tested publish output as the
/// PUBLISHED image (so the SDK stage is skipped) and <c>scratch</c> as RUNTIME_IMAGE (Lambda's base image cannot
/// be pulled here; nothing in the final stage runs inside the base). Then checks the image as a registry would
/// receive it and starts its entry point from the image's own files.
/// </summary>
[Collection(UsesPublishedApp.Name)]
public sealed class ContainerImageTests(PublishedApp published)
{
    private static readonly TimeSpan InvocationTimeout = TimeSpan.FromSeconds(90);

    [BuildahFact]
    public async Task The_final_stage_builds_from_the_publish_output_and_its_entry_point_serves_Lambda_invocations()
    {
        using var buildah = new Buildah();
        var work = Directory.CreateTempSubdirectory("cloudnativeapp-image-");
        try
        {
            // An image holding the publish output at /app/publish, as the Dockerfile's build stage leaves it.
            var context = Directory.CreateDirectory(Path.Combine(work.FullName, "published"));
            CopyDirectory(published.Directory, Path.Combine(context.FullName, "app", "publish"));
            await File.WriteAllTextAsync(Path.Combine(context.FullName, "Containerfile"), "FROM scratch\nCOPY app/publish/ /app/publish/\n");
            await buildah.RunInAsync(context.FullName, "bud", "--isolation", "chroot", "-f", "Containerfile", "-t", "localhost/cloudnativeapp-published", ".");

            await buildah.RunAsync("bud", "--isolation", "chroot", "--target", "final",
                "--build-arg", "PUBLISHED=localhost/cloudnativeapp-published", "--build-arg", "RUNTIME_IMAGE=scratch",
                "-f", Dockerfile.Path, "-t", "localhost/cloudnativeapp:test", RepositoryRoot.Path);

            // The OCI layout a registry push produces: config plus uncompressed layers.
            var layout = Path.Combine(work.FullName, "oci");
            await buildah.RunAsync("push", "--disable-compression", "--format", "oci", "localhost/cloudnativeapp:test", $"dir:{layout}");
            using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(layout, "manifest.json")));
            using var configuration = JsonDocument.Parse(await File.ReadAllTextAsync(Blob(layout, manifest.RootElement.GetProperty("config"))));
            var config = configuration.RootElement.GetProperty("config");

            var finalStage = Dockerfile.Load().FinalStage;
            Assert.Equal(finalStage.Entrypoint, config.GetProperty("Entrypoint").EnumerateArray().Select(item => item.GetString()));
            Assert.Equal(finalStage.Last("WORKDIR"), config.GetProperty("WorkingDir").GetString());
            Assert.Equal(finalStage.Last("USER"), config.GetProperty("User").GetString());
            Assert.True(config.GetProperty("ExposedPorts").TryGetProperty("8080/tcp", out _));
            var imageEnvironment = config.GetProperty("Env").EnumerateArray()
                .Select(item => Dockerfile.SplitAssignment(item.GetString()!))
                .ToDictionary(pair => pair.Name, pair => pair.Value, StringComparer.Ordinal);
            Assert.Equal("8080", imageEnvironment["ASPNETCORE_HTTP_PORTS"]);

            // Unpack the image's file system and check it holds exactly the publish output, modes included.
            var root = Directory.CreateDirectory(Path.Combine(work.FullName, "rootfs"));
            var modes = new Dictionary<string, UnixFileMode>(StringComparer.Ordinal);
            foreach (var layer in manifest.RootElement.GetProperty("layers").EnumerateArray())
            {
                await Unpack(Blob(layout, layer), root.FullName, modes);
            }

            var taskRoot = Path.Combine(root.FullName, "var", "task");
            Assert.Equal(
                Directory.EnumerateFiles(published.Directory, "*", SearchOption.AllDirectories).Select(path => Path.GetRelativePath(published.Directory, path)).Order(StringComparer.Ordinal),
                Directory.EnumerateFiles(taskRoot, "*", SearchOption.AllDirectories).Select(path => Path.GetRelativePath(taskRoot, path)).Order(StringComparer.Ordinal));
            Assert.True(modes["var/task/bootstrap"].HasFlag(UnixFileMode.OtherExecute | UnixFileMode.OtherRead), $"bootstrap mode in the image: {modes["var/task/bootstrap"]}");

            // Start the image's entry point as Lambda would: its Env and working directory plus what Lambda sets.
            await using var runtimeApi = await LambdaRuntimeApiServer.StartAsync();
            var entrypoint = Path.Combine(root.FullName, config.GetProperty("Entrypoint")[0].GetString()!.TrimStart('/'));
            var environment = LambdaEnvironment.Merge(imageEnvironment.Where(variable => variable.Key != "PATH"), LambdaEnvironment.FromTemplate());
            await using var function = LambdaFunctionProcess.Start(runtimeApi, entrypoint, environment);

            var outcome = await runtimeApi.InvokeAsync(PublishedAppTests.HttpApiGet("/calculator/add/1/2"), InvocationTimeout).WaitAsync(InvocationTimeout * 2);

            Assert.True(outcome.Succeeded, $"{outcome}{Environment.NewLine}{function.Output}");
            Assert.Equal("3", outcome.ResponseJson().GetProperty("body").GetString());
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static string Blob(string layout, JsonElement descriptor) =>
        Path.Combine(layout, descriptor.GetProperty("digest").GetString()!.Split(':')[1]);

    private static async Task Unpack(string layer, string root, Dictionary<string, UnixFileMode> modes)
    {
        await using var stream = File.OpenRead(layer);
        await using var reader = new TarReader(stream);
        while (await reader.GetNextEntryAsync() is { } entry)
        {
            var name = entry.Name.TrimStart('.', '/').TrimEnd('/');
            modes[name] = entry.Mode;
            var target = Path.Combine(root, name);
            if (entry.EntryType == TarEntryType.Directory)
            {
                Directory.CreateDirectory(target);
            }
            else if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                await entry.ExtractToFileAsync(target, overwrite: true);
                File.SetUnixFileMode(target, entry.Mode);
            }
        }
    }

    private static void CopyDirectory(string source, string destination)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(destination, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
