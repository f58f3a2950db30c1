using System.CommandLine;
using System.Globalization;
using Rekernel.Cli.Rendering;
using Rekernel.Journal;
using Rekernel.Operations;

namespace Rekernel.Cli.Commands;

/// <summary>
/// <c>rekernel verify</c>: after a reboot, settles the pending switch (success, fallback, firmware reboot, unhealthy)
/// with one exit code per outcome. Meant to run once per boot (a systemd unit).
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
            new PublishMetrics(services).Run();
            if (parsed.GetValue(json)) WriteJson(console, result);
            else
            {
                console.Out.WriteLine(Text(console, result, services.TimeZone));
                CheckLines.Write(console, result.Switch?.Checks ?? []);
            }
            return (int)Exit(result.Outcome);
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
            VerifyOutcome.Success => $"switch to {result.Running} verified: {console.Paint("success", AnsiColor.Green)}{DowntimeText(r!.DowntimeSeconds)}.",
            _ => $"switch to {Target(r!)} {console.Paint($"failed ({Name(result.Outcome)})", AnsiColor.Red)}: {r!.Detail}.",
        };
    }

    /// <summary>The outcome as <c>verify --json</c> and the journal name it.</summary>
    public static string Name(VerifyOutcome outcome) => outcome switch
    {
        VerifyOutcome.Nothing => "none",
        VerifyOutcome.Pending => "pending",
        VerifyOutcome.Success => "success",
        VerifyOutcome.Fallback => "fallback",
        VerifyOutcome.FirmwareReboot => "firmware-reboot",
        VerifyOutcome.Unhealthy => "unhealthy",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome)),
    };

    /// <summary>One exit code per outcome (rekernel(8)), so a fleet can halt on exactly the bad ones.</summary>
    public static ExitCode Exit(VerifyOutcome outcome) => outcome switch
    {
        VerifyOutcome.Nothing => ExitCode.NothingToVerify,
        VerifyOutcome.Pending => ExitCode.SwitchPending,
        VerifyOutcome.Success => ExitCode.Success,
        VerifyOutcome.Fallback => ExitCode.SwitchFailed,
        VerifyOutcome.FirmwareReboot => ExitCode.NotKexec,
        VerifyOutcome.Unhealthy => ExitCode.Unhealthy,
        _ => throw new ArgumentOutOfRangeException(nameof(outcome)),
    };

    private static string Target(SwitchRecord r) => r.ToVersion ?? "the staged kernel";

    private static string DowntimeText(double? seconds) =>
        seconds is { } s ? $", downtime {s.ToString("0.0", CultureInfo.InvariantCulture)} s" : " (downtime unknown)";

    private static void WriteJson(CliConsole console, VerifyResult result) =>
        JsonOutput.Write(console.Out, w =>
        {
            w.WriteStartObject();
            w.WriteString("outcome", Name(result.Outcome));
            // "status" is the name older versions used; kept so existing scripts keep working.
            w.WriteString("status", Name(result.Outcome));
            JournalJson.WriteChecks(w, result.Switch?.Checks ?? []);
            w.WritePropertyName("switch");
            if (result.Switch is null) w.WriteNullValue();
            else JournalJson.WriteRecord(w, result.Switch);
            w.WriteEndObject();
        });
}
