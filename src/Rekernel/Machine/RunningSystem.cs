using System.Globalization;
using Rekernel.Discovery;

namespace Rekernel.Machine;

/// <summary>
/// The running machine: its kernel's release and command line, this boot's id, kexec's state and the security
/// settings that decide whether kexec works, read from <c>/proc</c>, <c>/sys</c> and <c>/run</c> under a machine
/// directory (<c>/</c> on the live machine, a fixture directory in tests). This is never the boot configuration
/// tree that <c>--root</c> names: a kernel staged from a mounted image still runs on, and reuses the command line
/// of, the machine doing the staging. A fact that cannot be read is null.
/// </summary>
public sealed class RunningSystem
{
    public const string LiveMachine = "/";
    public const string BootIdPath = "/proc/sys/kernel/random/boot_id";
    public const string LockdownFile = "/sys/kernel/security/lockdown";
    public const string CrashKernelLoadedFile = "/sys/kernel/kexec_crash_loaded";
    public const string SecureBootVariable = "/sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c";

    // The machine's files are read with the same confinement as a boot tree: links resolve inside the directory.
    private readonly BootRoot _files;

    /// <param name="directory">Where the machine's /proc, /sys, /run and /boot are (<see cref="LiveMachine"/>).</param>
    /// <param name="releaseOverride">The release to assume instead of the running one (<c>--running</c>).</param>
    public RunningSystem(string directory, string? releaseOverride = null)
    {
        _files = new BootRoot(directory);
        Release = releaseOverride ?? Line("/proc/sys/kernel/osrelease");
    }

    private RunningSystem(BootRoot files, string? release)
    {
        _files = files;
        Release = release;
    }

    /// <summary>The machine directory on the host.</summary>
    public string Directory => _files.HostPath;

    /// <summary>The running kernel release, as <c>uname -r</c> prints it (or as overridden).</summary>
    public string? Release { get; }

    /// <summary>The same machine with <paramref name="release"/> assumed running when it is not null.</summary>
    public RunningSystem WithRelease(string? release) => release is null ? this : new RunningSystem(_files, release);

    /// <summary>The running kernel's command line (<c>/proc/cmdline</c>), without the trailing newline.</summary>
    public string? Cmdline => Line("/proc/cmdline");

    /// <summary>This boot's random id; a different one after any reboot, kexec or firmware.</summary>
    public string? BootId => Line(BootIdPath);

    /// <summary>The machine's id (<c>/etc/machine-id</c>), the same across boots; null when unreadable.</summary>
    public string? MachineId => Line("/etc/machine-id");

    /// <summary>Whether a kernel is staged for kexec (<c>/sys/kernel/kexec_loaded</c>); null when unknown.</summary>
    public bool? KexecLoaded => Flag("/sys/kernel/kexec_loaded");

    /// <summary>Whether a crash kernel is loaded for kdump (<c>/sys/kernel/kexec_crash_loaded</c>); null when unknown.</summary>
    public bool? CrashKernelLoaded => Flag(CrashKernelLoadedFile);

    /// <summary><c>kernel.kexec_load_disabled</c>; null when unknown.</summary>
    public bool? KexecLoadDisabled => Flag("/proc/sys/kernel/kexec_load_disabled");

    /// <summary>The lockdown LSM's active mode; null without the LSM.</summary>
    public LockdownMode? Lockdown => KexecFacts.ParseLockdown(_files.ReadText(LockdownFile));

    /// <summary>Whether UEFI Secure Boot is on; null when not booted with UEFI or efivarfs is not mounted.</summary>
    public bool? SecureBoot => KexecFacts.ParseSecureBoot(_files.ReadBytes(SecureBootVariable));

    /// <summary>Seconds since this boot started (<c>/proc/uptime</c>); null when unknown.</summary>
    public double? UptimeSeconds =>
        Line("/proc/uptime") is { } up && double.TryParse(up.Split(' ')[0], CultureInfo.InvariantCulture, out double s) ? s : null;

    /// <summary><c>MemAvailable</c> of <c>/proc/meminfo</c> in bytes; null when unknown.</summary>
    public long? MemAvailableBytes
    {
        get
        {
            foreach (string line in (_files.ReadText("/proc/meminfo") ?? "").Split('\n'))
            {
                if (!line.StartsWith("MemAvailable:", StringComparison.Ordinal)) continue;
                string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return fields.Length >= 2 && long.TryParse(fields[1], CultureInfo.InvariantCulture, out long kib) ? kib * 1024 : null;
            }
            return null;
        }
    }

    /// <summary>
    /// Whether systemd is PID 1: <c>/run/systemd/system</c> exists (the test <c>sd_booted()</c> uses) or
    /// <c>/proc/1/comm</c> says systemd.
    /// </summary>
    public bool RunsSystemd => _files.DirectoryExists("/run/systemd/system") || Line("/proc/1/comm") == "systemd";

    /// <summary>What unlocks a volume with a TPM2-sealed key (<see cref="Machine.Tpm2Unlock"/>), or null.</summary>
    public string? Tpm2Unlock => Machine.Tpm2Unlock.Find(_files);

    /// <summary>Whether a hardware watchdog guards a jump from this machine (<see cref="WatchdogGuard"/>).</summary>
    public WatchdogGuard Watchdog(bool immediateJump) => WatchdogGuard.Judge(_files, immediateJump);

    /// <summary>The running kernel's build configuration (<see cref="KernelConfig"/>).</summary>
    public KernelConfig KernelConfig => KernelConfig.Read(_files, Release);

    /// <summary>The first line of a file of the machine, trimmed; null when missing or empty.</summary>
    public string? Line(string path) => FirstLine(_files, path);

    /// <summary>The first line of a file inside <paramref name="files"/>, trimmed; null when missing or empty.</summary>
    internal static string? FirstLine(BootRoot files, string path)
    {
        string? text = files.ReadText(path);
        if (text is null) return null;
        int nl = text.IndexOf('\n');
        string line = (nl >= 0 ? text[..nl] : text).Trim();
        return line.Length == 0 ? null : line;
    }

    private bool? Flag(string path) => Line(path) switch
    {
        "0" => false,
        null => null,
        _ => true,
    };
}
