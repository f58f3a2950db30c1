using System.Diagnostics;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Rekernel.Planning;

/// <summary>
/// Staging through kexec-tools' <c>kexec</c> binary (<c>--use-kexec-tools</c>), for kernels without
/// <c>kexec_file_load</c> (<c>-c</c>, the old <c>kexec_load</c>) or as a cross-check (<c>-s</c>). The child is
/// given <c>/proc/PID/fd/N</c> of the descriptors rekernel already checked, so it loads exactly those files and
/// the assembled initrd needs no temporary file.
/// </summary>
public sealed class KexecTools(string executable = "kexec")
{
    public string Executable { get; } = executable;

    /// <summary>The arguments of <c>kexec -l</c>; <c>-s</c> uses kexec_file_load, <c>-c</c> the old kexec_load.</summary>
    public static IReadOnlyList<string> LoadArguments(string kernel, string? initrd, string cmdline, bool legacySyscall)
    {
        var args = new List<string> { legacySyscall ? "-c" : "-s", "-l", kernel };
        if (initrd is not null) args.Add($"--initrd={initrd}");
        args.Add($"--command-line={cmdline}");
        return args;
    }

    /// <summary>A shell command doing the same load by hand (kexec takes one initrd, so several are concatenated first).</summary>
    public static string EquivalentCommand(LoadPlan plan)
    {
        var sb = new StringBuilder();
        string kernel = plan.Kernel;
        if (plan.Entry.Uki is not null)
        {
            sb.Append($"objcopy -O binary --only-section=.linux {Quote(plan.Kernel)} /tmp/rekernel-linux && ");
            kernel = "/tmp/rekernel-linux";
        }
        string? initrd = plan.Initrds.Length switch
        {
            0 when plan.Entry.Uki?.Initrd is null => null,
            1 when plan.Entry.Uki is null => plan.Initrds[0],
            _ => "/tmp/rekernel-initrd",
        };
        if (initrd == "/tmp/rekernel-initrd")
        {
            if (plan.Entry.Uki?.Initrd is not null)
                sb.Append($"objcopy -O binary --only-section=.initrd {Quote(plan.Kernel)} /tmp/rekernel-uki-initrd && ");
            IEnumerable<string> parts = (plan.Entry.Uki?.Initrd is not null ? ["/tmp/rekernel-uki-initrd"] : Array.Empty<string>()).Concat(plan.Initrds);
            sb.Append($"cat {string.Join(' ', parts.Select(Quote))} > /tmp/rekernel-initrd && ");
        }
        sb.Append("kexec -s -l ").Append(Quote(kernel));
        if (initrd is not null) sb.Append(" --initrd=").Append(Quote(initrd));
        sb.Append(" --command-line=").Append(Quote(plan.Cmdline));
        return sb.ToString();
    }

    public void Load(LoadPlan plan, KexecImageSet images, bool legacySyscall)
    {
        string? initrd = images.Initrd is null ? null : DescriptorPath(images.Initrd);
        Run(LoadArguments(DescriptorPath(images.Kernel), initrd, plan.Cmdline, legacySyscall), $"kexec {(legacySyscall ? "-c" : "-s")} -l");
    }

    public void Unload() => Run(["-u"], "kexec -u");

    private void Run(IReadOnlyList<string> arguments, string what)
    {
        string path = Locate() ?? throw new RekernelException(ExitCode.Refused,
            $"--use-kexec-tools needs the kexec program, which was not found; install kexec-tools (apt install kexec-tools, dnf install kexec-tools) or drop --use-kexec-tools.");
        var start = new ProcessStartInfo(path) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in arguments) start.ArgumentList.Add(a);
        using Process process = Process.Start(start) ?? throw new RekernelException(ExitCode.KexecFailed, $"could not start {path}; check that it is executable.");
        process.StandardOutput.ReadToEnd();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            string reason = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "no message";
            throw new RekernelException(ExitCode.KexecFailed, $"{what} failed with exit code {process.ExitCode} ({reason}); see dmesg for the kernel's reason.");
        }
    }

    private string? Locate()
    {
        if (Executable.Contains('/')) return File.Exists(Executable) ? Executable : null;
        string dirs = Environment.GetEnvironmentVariable("PATH") ?? "";
        // kexec lives in sbin, which a sudo-less PATH may lack.
        foreach (string dir in dirs.Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(["/usr/sbin", "/sbin", "/usr/bin"]))
        {
            string candidate = Path.Join(dir, Executable);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    private static string DescriptorPath(SafeFileHandle handle) => $"/proc/{Environment.ProcessId}/fd/{handle.DangerousGetHandle()}";

    private static string Quote(string s) =>
        s.Length > 0 && s.All(c => char.IsAsciiLetterOrDigit(c) || "/._-=+,:@".Contains(c)) ? s : "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
