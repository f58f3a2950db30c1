using System.CommandLine;
using System.Globalization;
using Rekernel.Cli.Rendering;
using Rekernel.Discovery;
using Rekernel.Journal;

namespace Rekernel.Cli.Commands;

/// <summary>
/// <c>rekernel verify</c>: after a reboot, settles the pending switch: success when the machine runs the kernel
/// it was switched to, failed when it came back on another one. Meant to run once per boot (a systemd unit).
/// </summary>
public static class VerifyCommand
{
    public static Command Create(CliConsole console, SwitchServices services)
    {
        Option<bool> json = CommonOptions.Json();
        var command = new Command("verify", "Check that the last switch came up on the kernel it was meant to, and record its downtime.") { json };
        command.SetAction(parsed => CliApp.Guarded(console, () => Run(console, services, parsed.GetValue(json))));
        return command;
    }

    private static int Run(CliConsole console, SwitchServices services, bool json)
    {
        using var held = services.Lock("rekernel verify");
        SwitchJournal journal = services.Journal();
        if (journal.Pending is not { } pending)
        {
            Report(console, json, "none", null, "nothing to verify: no switch is pending.");
            return (int)ExitCode.Success;
        }
        var running = new RunningSystem(services.SystemRoot);
        string bootId = running.Line(SwitchCommand.BootIdPath)
            ?? throw new RekernelException(ExitCode.Refused, $"cannot read {SwitchCommand.BootIdPath}, so it is unknown whether the machine rebooted; is /proc mounted?");
        if (bootId == pending.BootId)
        {
            Report(console, json, "pending", pending,
                $"switch to {Target(pending)} still pending: requested {SwitchCommand.Local(pending.RequestedAt, services.TimeZone)}, the machine has not rebooted since.");
            return (int)ExitCode.Success;
        }
        DateTimeOffset now = services.Clock.GetUtcNow();
        double? downtime = Downtime(pending, now, running.UptimeSeconds);
        string release = running.Release ?? "an unknown kernel";
        bool arrived = pending.ToVersion is { } to ? release == to : release != pending.FromVersion;
        if (arrived)
        {
            SwitchRecord done = journal.Complete(SwitchOutcome.Success, now, downtime);
            Report(console, json, "success", done, $"switch to {release} verified: {console.Paint("success", AnsiColor.Green)}{DowntimeText(downtime)}");
            return (int)ExitCode.Success;
        }
        string why = $"the machine came back on {release}, not {Target(pending)}: the new kernel probably panicked and the panic= fallback rebooted through firmware; check its console log";
        SwitchRecord failed = journal.Complete(SwitchOutcome.Failed, now, downtime, why);
        Report(console, json, "failed", failed, $"switch to {Target(pending)} {console.Paint("failed", AnsiColor.Red)}: {why}.");
        return (int)ExitCode.SwitchFailed;
    }

    /// <summary>
    /// From the moment the switch began to the start of this boot (now minus uptime); null when uptime is
    /// unreadable or the result is negative (the clock was stepped).
    /// </summary>
    public static double? Downtime(SwitchRecord record, DateTimeOffset now, double? uptimeSeconds)
    {
        if (uptimeSeconds is not { } up) return null;
        double seconds = (now - TimeSpan.FromSeconds(up) - record.SwitchStartedAt).TotalSeconds;
        return seconds >= 0 ? seconds : null;
    }

    private static string Target(SwitchRecord r) => r.ToVersion ?? "the staged kernel";

    private static string DowntimeText(double? seconds) =>
        seconds is { } s ? $", downtime {s.ToString("0.0", CultureInfo.InvariantCulture)} s" : " (downtime unknown)";

    private static void Report(CliConsole console, bool json, string status, SwitchRecord? record, string text)
    {
        if (!json)
        {
            console.Out.WriteLine(text);
            return;
        }
        JsonOutput.Write(console.Out, w =>
        {
            w.WriteStartObject();
            w.WriteString("status", status);
            w.WritePropertyName("switch");
            if (record is null) w.WriteNullValue();
            else JournalJson.WriteRecord(w, record);
            w.WriteEndObject();
        });
    }
}
