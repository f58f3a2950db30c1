using Microsoft.Win32.SafeHandles;
using Rekernel.Processes;

namespace Rekernel.Kexec;

/// <summary>
/// Staging through kexec-tools' <c>kexec</c> binary: automatically for kernels without <c>kexec_file_load</c>
/// (<c>-c</c>, the old <c>kexec_load</c>), or when asked for (<c>--use-kexec-tools</c>, <c>-s</c>). The child is
/// given <c>/proc/PID/fd/N</c> of the descriptors rekernel already checked, so it loads exactly those files and
/// the assembled initrd needs no temporary file.
/// </summary>
public sealed class KexecTools(string executable = "kexec")
{
    /// <summary>The package to install, in each family's words, completing a sentence that says it is missing.</summary>
    public const string InstallAdvice = "install the kexec-tools package (apt install kexec-tools on Debian and Ubuntu, dnf install kexec-tools on RHEL and Fedora)";

    public string Executable { get; } = executable;

    /// <summary>The arguments of <c>kexec -l</c>; <c>-s</c> uses kexec_file_load, <c>-c</c> the old kexec_load.</summary>
    public static IReadOnlyList<string> LoadArguments(string kernel, string? initrd, string cmdline, bool legacySyscall)
    {
        var args = new List<string> { legacySyscall ? "-c" : "-s", "-l", kernel };
        if (initrd is not null) args.Add($"--initrd={initrd}");
        args.Add($"--command-line={cmdline}");
        return args;
    }

    public void Load(KexecImageSet images, string cmdline, bool legacySyscall)
    {
        string? initrd = images.Initrd is null ? null : DescriptorPath(images.Initrd);
        Run(LoadArguments(DescriptorPath(images.Kernel), initrd, cmdline, legacySyscall), $"kexec {(legacySyscall ? "-c" : "-s")} -l");
    }

    public void Unload() => Run(["-u"], "kexec -u");

    private void Run(IReadOnlyList<string> arguments, string what)
    {
        string path = ProgramRunner.Locate(Executable) ?? throw new RekernelException(ExitCode.Refused,
            $"staging through kexec-tools needs its kexec program, which was not found; {InstallAdvice}.");
        ProgramRun run = ProgramRunner.Run(path, arguments)
            ?? throw new RekernelException(ExitCode.KexecFailed, $"could not start {path}; check that it is executable.");
        if (run.ExitCode != 0)
            throw new RekernelException(ExitCode.KexecFailed, $"{what} failed with exit code {run.ExitCode} ({run.Reason}); see dmesg for the kernel's reason.");
    }

    private static string DescriptorPath(SafeFileHandle handle) => $"/proc/{Environment.ProcessId}/fd/{handle.DangerousGetHandle()}";
}
