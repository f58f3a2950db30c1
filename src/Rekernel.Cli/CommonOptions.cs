using System.CommandLine;
using Rekernel.Discovery;
using Rekernel.Switching;

namespace Rekernel.Cli;

/// <summary>Options several commands share; each call makes a new instance for one command.</summary>
public static class CommonOptions
{
    public static Option<string> Root() => new("--root")
    {
        Description = "Read boot configuration from DIR instead of / (a mounted image or a fixture tree).",
        HelpName = "DIR",
        DefaultValueFactory = _ => "/",
    };

    public static Option<bool> Json() => new("--json") { Description = "Print machine-readable JSON." };

    public static Option<bool> Quiet() => new("--quiet", "-q") { Description = "Print nothing on standard output; errors and warnings still go to standard error." };

    public static Option<string?> Running() => new("--running")
    {
        Description = "Treat VERSION as the running kernel (for --root trees; default: uname -r of this machine).",
        HelpName = "VERSION",
    };

    public static Option<bool> Now() => new("--now") { Description = "Jump at once with reboot(KEXEC) after sync: services are not stopped (for machines without systemd, or emergencies)." };

    public static Option<string?> When() => new("--when")
    {
        Description = "Switch later, through logind: now, +90s, +5min, +1h, HH:MM (next occurrence) or an ISO 8601 time.",
        HelpName = "TIME",
    };

    public static Option<bool> Yes() => new("--yes", "-y") { Description = "Do not ask for confirmation (needed when standard input is not a terminal)." };

    /// <summary>The boot root named by <c>--root</c>; a missing directory is a usage error.</summary>
    public static BootRoot BootRootFrom(string path)
    {
        if (!Directory.Exists(path)) ThrowHelper.Usage($"--root {path}: no such directory; give the directory that holds the machine's /boot.");
        return new BootRoot(path);
    }

    /// <summary><c>--when TIME</c> as a moment after <paramref name="now"/>; null when not given; a bad time is a usage error naming the option.</summary>
    public static SwitchTime? SwitchTimeFrom(string? text, DateTimeOffset now, TimeZoneInfo zone)
    {
        if (text is null) return null;
        try
        {
            return SwitchTime.Parse(text, now, zone);
        }
        catch (RekernelException ex)
        {
            throw new RekernelException(ex.ExitCode, $"--when {ex.Message}", ex);
        }
    }

    /// <summary>The option combinations <c>switch</c> and <c>upgrade</c> both refuse, before anything is touched.</summary>
    public static void RefuseConflicting(bool now, string? when, bool cancel = false)
    {
        if (cancel && (now || when is not null)) ThrowHelper.Usage("--cancel cannot be combined with --now or --when.");
        if (now && when is not null) ThrowHelper.Usage("--now and --when exclude each other; --when now already means a graceful switch at once.");
    }
}
