using System.Text;

namespace Rekernel.Planning;

/// <summary>Composes the command line of the kernel to be staged; pure.</summary>
public static class CmdlineComposer
{
    /// <summary>
    /// The kernel's COMMAND_LINE_SIZE in bytes, including the terminating NUL: 2048 on both x86-64 and arm64
    /// (arch/*/include/uapi/asm/setup.h).
    /// </summary>
    public const int MaxBytes = 2048;

    // Arguments the bootloader adds for itself; kexec-tools' --reuse-cmdline drops them too, because they name
    // the running kernel's image and initrd, not the one being staged.
    private static readonly string[] BootloaderKeys = ["BOOT_IMAGE", "initrd"];

    /// <summary>
    /// The final command line: the base (<c>--cmdline</c>, else the entry's, else the running one minus
    /// <c>BOOT_IMAGE=</c>/<c>initrd=</c>), minus <c>--remove</c> keys, plus <c>--append</c> arguments, plus
    /// <c>panic=N</c> when no <c>panic=</c> is present, so a kernel that fails to mount its root reboots
    /// instead of hanging a remote machine, plus the switch token. A token already on the base (the running
    /// command line reused) is dropped: it proves the previous switch, not this one.
    /// </summary>
    public static string Compose(string? entryCmdline, string? runningCmdline, CmdlineRequest request, int maxBytes = MaxBytes)
    {
        List<string> args = BaseArgs(entryCmdline, runningCmdline, request);
        args.RemoveAll(a => request.Remove.Contains(KernelArgs.Key(a), StringComparer.Ordinal) || KernelArgs.Key(a) == SwitchToken.Key);
        foreach (string extra in request.Append) args.AddRange(KernelArgs.Split(extra));
        if (request.PanicTimeout is { } timeout && !args.Any(a => KernelArgs.Key(a) == "panic"))
            args.Add($"panic={timeout}");
        if (request.Token is { } token) args.Add(SwitchToken.Argument(token));
        string cmdline = string.Join(' ', args);
        // An unterminated quote makes the kernel read everything after it as one argument, panic= included.
        if (!KernelArgs.Split(cmdline).SequenceEqual(args, StringComparer.Ordinal))
            ThrowHelper.Refuse($"the kernel command line has an unterminated double quote ({args.FirstOrDefault(a => a.Count(c => c == '"') % 2 == 1)}), so the kernel would read the arguments after it as part of it", Remedy.ReplaceCmdline);
        int bytes = Encoding.UTF8.GetByteCount(cmdline) + 1;
        if (bytes > maxBytes)
            ThrowHelper.Refuse($"the kernel command line is {bytes} bytes including its terminating NUL, more than the kernel's limit of {maxBytes}", Remedy.ShortenCmdline);
        return cmdline;
    }

    private static List<string> BaseArgs(string? entryCmdline, string? runningCmdline, CmdlineRequest request)
    {
        if (request.Replace is { } replace) return [.. KernelArgs.Split(replace)];
        if (entryCmdline is not null) return [.. KernelArgs.Split(entryCmdline)];
        if (runningCmdline is null)
            ThrowHelper.Refuse("the boot entry has no command line and the running one (/proc/cmdline) cannot be read", Remedy.GiveCmdline);
        return [.. KernelArgs.Split(runningCmdline).Where(a => !BootloaderKeys.Contains(KernelArgs.Key(a), StringComparer.Ordinal))];
    }
}
