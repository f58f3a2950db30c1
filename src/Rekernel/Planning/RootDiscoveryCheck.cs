using Rekernel.Discovery;

namespace Rekernel.Planning;

/// <summary>
/// A safety net under every reader: a command line that tells the new kernel nothing about its root file system,
/// where the running kernel needed <c>root=</c>, boots into an initrd that waits for a root forever. Pure.
/// </summary>
public static class RootDiscoveryCheck
{
    // systemd's gpt-auto generator finds the root partition by its GPT type; these keys ask for it explicitly.
    private static readonly string[] AutoDiscoveryKeys = ["systemd.gpt_auto", "rd.systemd.gpt_auto"];

    private static readonly string[] Off = ["0", "no", "false", "off"];

    /// <summary>Refuses a plan whose <paramref name="cmdline"/> lacks <c>root=</c> when <paramref name="runningCmdline"/> has one.</summary>
    public static void Check(BootEntry entry, string cmdline, string? runningCmdline)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(cmdline);
        if (runningCmdline is null || !KernelArgs.Split(runningCmdline).Any(a => KernelArgs.Key(a) == "root")) return;
        // A UKI's embedded command line was built with its initrd, which finds the root its own way.
        if (entry.Uki is not null && entry.Cmdline is not null) return;
        if (KernelArgs.Split(cmdline).Any(FindsRoot)) return;
        ThrowHelper.Refuse($"the command line planned for the entry '{entry.Title}' ({entry.Origin ?? entry.Kernel}) has no root= although the running kernel's has one, so the new kernel would not find its root file system", Remedy.AppendRoot);
    }

    private static bool FindsRoot(string arg)
    {
        string key = KernelArgs.Key(arg);
        if (key == "root") return true;
        if (!AutoDiscoveryKeys.Contains(key, StringComparer.Ordinal)) return false;
        int eq = arg.IndexOf('=');
        return eq < 0 || !Off.Contains(arg[(eq + 1)..], StringComparer.OrdinalIgnoreCase);
    }
}
