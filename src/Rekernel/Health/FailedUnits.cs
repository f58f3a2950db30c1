using Rekernel.Processes;

namespace Rekernel.Health;

/// <summary>
/// The units systemd lists as failed, from <c>systemctl list-units --failed</c>: the same program the graceful
/// switch falls back to, and one that works without a D-Bus daemon (as root over systemd's private socket).
/// </summary>
public static class FailedUnits
{
    public static readonly IReadOnlyList<string> Arguments = ["list-units", "--failed", "--plain", "--no-legend", "--full", "--no-pager"];

    /// <summary>Runs systemctl; null when it is missing or fails (no systemd: nothing to compare).</summary>
    public static IReadOnlyList<string>? List() =>
        ProgramRunner.Locate("systemctl") is { } path && ProgramRunner.Run(path, Arguments) is { ExitCode: 0 } run
            ? Parse(run.StandardOutput)
            : null;

    /// <summary>The unit names of <c>--plain --no-legend</c> output: the first word of each line ("foo.service loaded failed failed Foo").</summary>
    public static IReadOnlyList<string> Parse(string output) =>
    [
        .. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(' ', 2)[0])
            .Order(StringComparer.Ordinal),
    ];
}
