using System.Text;

namespace Rekernel.Planning;

/// <summary>The shell commands that do a plan's load by hand with kexec-tools, for the dry run and for the record.</summary>
public static class KexecToolsCommand
{
    /// <summary>A shell command doing the same load by hand (kexec takes one initrd, so several are concatenated first).</summary>
    /// <param name="legacySyscall">With <c>kexec -c</c> (the old <c>kexec_load</c>) instead of <c>-s</c>.</param>
    public static string For(LoadPlan plan, bool legacySyscall)
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
        sb.Append(legacySyscall ? "kexec -c -l " : "kexec -s -l ").Append(Quote(kernel));
        if (initrd is not null) sb.Append(" --initrd=").Append(Quote(initrd));
        sb.Append(" --command-line=").Append(Quote(plan.Cmdline));
        return sb.ToString();
    }

    private static string Quote(string s) =>
        s.Length > 0 && s.All(c => char.IsAsciiLetterOrDigit(c) || "/._-=+,:@".Contains(c)) ? s : "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
