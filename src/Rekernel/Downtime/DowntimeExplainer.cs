using System.Globalization;
using Rekernel.Journal;
using Rekernel.Processes;

namespace Rekernel.Downtime;

/// <summary>
/// Gathers a <see cref="DowntimeExplanation"/> on the live machine by running <c>journalctl</c> and
/// <c>systemd-analyze</c>; each tool's absence or failure is a <see cref="RekernelException"/> naming the fix.
/// </summary>
public sealed class DowntimeExplainer
{
    private readonly Func<string, IReadOnlyList<string>, string> _run;

    /// <param name="run">Runs a program with arguments and returns its standard output; null for the real processes.</param>
    public DowntimeExplainer(Func<string, IReadOnlyList<string>, string>? run = null)
    {
        _run = run ?? RunProcess;
    }

    public const int UnitCount = 5;

    public DowntimeExplanation Explain(SwitchRecord record)
    {
        // Entries of the boot that asked for the switch, from a little before it began (clocks tick in whole seconds here).
        long since = record.SwitchStartedAt.ToUnixTimeSeconds() - 1;
        string journal = _run("journalctl", ["-b", record.BootId.Replace("-", "", StringComparison.Ordinal), "-o", "json", "--no-pager",
            "--since", "@" + since.ToString(CultureInfo.InvariantCulture)]);
        string analyze = _run("systemd-analyze", ["time"]);
        string blame = _run("systemd-analyze", ["blame", "--no-pager"]);
        return new DowntimeExplanation
        {
            Switch = record,
            Shutdown = JournalShutdownParser.Parse(journal.Split('\n'), record.SwitchStartedAt.AddSeconds(-1)),
            Startup = SystemdAnalyzeParser.Startup(analyze),
            SlowestToStart = SystemdAnalyzeParser.Blame(blame, UnitCount),
        };
    }

    private static string RunProcess(string program, IReadOnlyList<string> arguments)
    {
        string path = ProgramRunner.Locate(program) ?? throw new RekernelException(ExitCode.NotFound,
            $"{program} was not found; explaining downtime reads systemd's journal and boot times, so run it on a systemd machine with {program} installed (package systemd).");
        ProgramRun run = ProgramRunner.Run(path, arguments) ?? throw new RekernelException(ExitCode.Internal, $"could not start {path}.");
        // journalctl exits 1 with "-- No entries --" or a missing boot: that is a gap in the data, not a failure.
        if (run.ExitCode != 0 && !(program == "journalctl" && run.StandardOutput.Length == 0))
            throw new RekernelException(ExitCode.Internal, $"{program} {string.Join(' ', arguments)} failed with exit code {run.ExitCode} ({run.Reason}).");
        return run.StandardOutput;
    }
}
