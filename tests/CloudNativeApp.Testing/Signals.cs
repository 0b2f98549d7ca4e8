using System.ComponentModel;
using System.Runtime.InteropServices;

namespace CloudNativeApp.Testing;

/// <summary>POSIX signals for the processes the tests start: freeze and thaw a dependency, stop an app as its platform does.</summary>
public static class Signals
{
    private const int SigTerm = 15;
    private const int SigCont = 18;
    private const int SigStop = 19;

    /// <summary>SIGSTOP: the process keeps its sockets open but answers nothing, like a hung dependency.</summary>
    public static void Freeze(int processId) => Send(processId, SigStop);

    public static void Thaw(int processId) => Send(processId, SigCont);

    /// <summary>SIGTERM, what Lambda, ECS and Kubernetes send before they kill a process.</summary>
    public static void Terminate(int processId) => Send(processId, SigTerm);

    private static void Send(int processId, int signal)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("The tests and tools send POSIX signals (Linux x64 values).");
        }

        if (Kill(processId, signal) != 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError(), $"kill({processId}, {signal}) failed.");
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int processId, int signal);
}
