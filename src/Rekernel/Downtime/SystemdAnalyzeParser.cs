using System.Text.RegularExpressions;

namespace Rekernel.Downtime;

/// <summary>Reads the output of <c>systemd-analyze</c> (time) and <c>systemd-analyze blame</c>.</summary>
public static partial class SystemdAnalyzeParser
{
    /// <summary>
    /// The phases of "Startup finished in 2.1s (kernel) + 1.2s (initrd) + 9.8s (userspace) = 13.1s"; null when the
    /// output has no such line (systemd prints "Bootup is not yet finished" until the boot's jobs are done).
    /// </summary>
    public static StartupTimes? Startup(string output)
    {
        string? line = output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("Startup finished in ", StringComparison.Ordinal));
        if (line is null) return null;
        int equals = line.LastIndexOf(" = ", StringComparison.Ordinal);
        if (equals < 0) return null;
        var phases = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (Match m in PhasePattern().Matches(line[..equals]))
        {
            if (SystemdDuration.Seconds(m.Groups["span"].Value) is { } s) phases[m.Groups["phase"].Value] = s;
        }
        if (SystemdDuration.Seconds(line[(equals + 3)..]) is not { } total
            || !phases.TryGetValue("kernel", out double kernel) || !phases.TryGetValue("userspace", out double userspace)) return null;
        Match target = TargetPattern().Match(output);
        return new StartupTimes
        {
            Firmware = phases.TryGetValue("firmware", out double f) ? f : null,
            Loader = phases.TryGetValue("loader", out double l) ? l : null,
            Kernel = kernel,
            Initrd = phases.TryGetValue("initrd", out double i) ? i : null,
            Userspace = userspace,
            Total = total,
            Target = target.Success ? target.Groups["target"].Value : null,
            UntilTarget = target.Success ? SystemdDuration.Seconds(target.Groups["span"].Value) : null,
        };
    }

    /// <summary>The <paramref name="count"/> units slowest to start, from <c>systemd-analyze blame</c> (slowest first).</summary>
    public static IReadOnlyList<UnitTime> Blame(string output, int count) =>
        [.. output.Split('\n')
            .Select(l => BlamePattern().Match(l))
            .Where(m => m.Success)
            .Select(m => (Unit: m.Groups["unit"].Value, Seconds: SystemdDuration.Seconds(m.Groups["span"].Value)))
            .Where(u => u.Seconds is not null)
            .Select(u => new UnitTime(u.Unit, u.Seconds!.Value))
            .OrderByDescending(u => u.Seconds)
            .Take(count)];

    [GeneratedRegex(@"(?<span>[0-9][0-9.a-zµ ]*?) \((?<phase>[a-z]+)\)")]
    private static partial Regex PhasePattern();

    [GeneratedRegex(@"(?<target>[\w.-]+\.target) reached after (?<span>[0-9][0-9.a-zµ ]*?) in userspace")]
    private static partial Regex TargetPattern();

    [GeneratedRegex(@"^\s*(?<span>[0-9][0-9.a-zµ ]*?)\s+(?<unit>\S+\.[a-z]+)\s*$")]
    private static partial Regex BlamePattern();
}
