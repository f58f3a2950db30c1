namespace Rekernel.Discovery;

/// <summary>
/// Facts about the running kernel, read from <c>/proc</c> and <c>/sys</c> inside a <see cref="BootRoot"/>
/// (so a fixture tree can stand in for a live machine). A fact that cannot be read is null.
/// </summary>
public sealed class RunningSystem
{
    private readonly BootRoot _root;

    public RunningSystem(BootRoot root, string? releaseOverride = null)
    {
        _root = root;
        Release = releaseOverride ?? Line("/proc/sys/kernel/osrelease");
    }

    /// <summary>The running kernel release, as <c>uname -r</c> prints it.</summary>
    public string? Release { get; }

    /// <summary>The running kernel's command line (<c>/proc/cmdline</c>), without the trailing newline.</summary>
    public string? Cmdline => Line("/proc/cmdline");

    /// <summary>Whether a kernel is staged for kexec (<c>/sys/kernel/kexec_loaded</c>); null when unknown.</summary>
    public bool? KexecLoaded => Flag("/sys/kernel/kexec_loaded");

    /// <summary><c>kernel.kexec_load_disabled</c>; null when unknown.</summary>
    public bool? KexecLoadDisabled => Flag("/proc/sys/kernel/kexec_load_disabled");

    /// <summary>Seconds since this boot started (<c>/proc/uptime</c>); null when unknown.</summary>
    public double? UptimeSeconds =>
        Line("/proc/uptime") is { } up && double.TryParse(up.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture, out double s) ? s : null;

    /// <summary>The first line of a file inside the root, trimmed; null when missing or empty.</summary>
    public string? Line(string pathInRoot)
    {
        string? text = _root.ReadText(pathInRoot);
        if (text is null) return null;
        int nl = text.IndexOf('\n');
        string line = (nl >= 0 ? text[..nl] : text).Trim();
        return line.Length == 0 ? null : line;
    }

    private bool? Flag(string pathInRoot) => Line(pathInRoot) switch
    {
        "0" => false,
        null => null,
        _ => true,
    };
}
