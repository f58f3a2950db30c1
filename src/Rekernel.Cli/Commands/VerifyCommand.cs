using System.CommandLine;
using System.Globalization;
using Rekernel.Cli.Rendering;
using Rekernel.Journal;
using Rekernel.Operations;

namespace Rekernel.Cli.Commands;

/// <summary>
/// <c>rekernel verify</c>: after a reboot, settles the pending switch: success when the machine runs the kernel
/// it was switched to, failed when it came back on another one. Meant to run once per boot (a systemd unit).
/// </summary>
public static class VerifyCommand
{
    public static Command Create(CliConsole console, MachineServices services)
    {
        Option<bool> json = CommonOptions.Json();
        var command = new Command("verify", "Check that the last switch came up on the kernel it was meant to, and record its downtime.") { json };
        command.SetAction(parsed => CliApp.Guarded(console, () =>
        {
            VerifyResult result = new Verify(services, ConsoleEvents.For(console)).Run();
            if (parsed.GetValue(json)) WriteJson(console, result);
            else console.Out.WriteLine(Text(console, result, services.TimeZone));
            return result.Outcome == VerifyOutcome.Failed ? (int)ExitCode.SwitchFailed : (int)ExitCode.Success;
        }));
        return command;
    }

    private static string Text(CliConsole console, VerifyResult result, TimeZoneInfo zone)
    {
        SwitchRecord? r = result.Switch;
        return result.Outcome switch
        {
            VerifyOutcome.Nothing => "nothing to verify: no switch is pending.",
            VerifyOutcome.Pending => $"switch to {Target(r!)} still pending: requested {Confirmation.Local(r!.RequestedAt, zone)}, the machine has not rebooted since.",
            VerifyOutcome.Success => $"switch to {result.Running} verified: {console.Paint("success", AnsiColor.Green)}{DowntimeText(r!.DowntimeSeconds)}",
            _ => $"switch to {Target(r!)} {console.Paint("failed", AnsiColor.Red)}: {r!.Detail}.",
        };
    }

    private static string Target(SwitchRecord r) => r.ToVersion ?? "the staged kernel";

    private static string DowntimeText(double? seconds) =>
        seconds is { } s ? $", downtime {s.ToString("0.0", CultureInfo.InvariantCulture)} s" : " (downtime unknown)";

    private static void WriteJson(CliConsole console, VerifyResult result) =>
        JsonOutput.Write(console.Out, w =>
        {
            w.WriteStartObject();
            w.WriteString("status", result.Outcome switch
            {
                VerifyOutcome.Nothing => "none",
                VerifyOutcome.Pending => "pending",
                VerifyOutcome.Success => "success",
                _ => "failed",
            });
            w.WritePropertyName("switch");
            if (result.Switch is null) w.WriteNullValue();
            else JournalJson.WriteRecord(w, result.Switch);
            w.WriteEndObject();
        });
}
