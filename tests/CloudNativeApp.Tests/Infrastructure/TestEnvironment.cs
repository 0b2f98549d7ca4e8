using System.Runtime.CompilerServices;

namespace CloudNativeApp.Tests.Infrastructure;

internal static class TestEnvironment
{
    /// <summary>
    /// Every test host watches appsettings*.json; with many hosts per run (and other test projects running at the
    /// same time) inotify's 128 instances run out. Polling watchers use none.
    /// </summary>
#pragma warning disable CA2255 // A test assembly is the application here; this must run before any host is built.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void UsePollingFileWatchers() =>
        Environment.SetEnvironmentVariable("DOTNET_USE_POLLING_FILE_WATCHER", "true");
}
