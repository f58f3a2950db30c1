using System.CommandLine;
using Rekernel.Cli.Rendering;
using Rekernel.Journal;
using Rekernel.Operations;

namespace Rekernel.Cli.Commands;

/// <summary>
/// <c>rekernel upgrade</c>: the whole manual flow in one command — pick the kernel the bootloader would boot (or
/// the one named), stage it, journal the switch, and switch into it; nothing happens when it already runs.
/// </summary>
public static class UpgradeCommand
{
    public static Command Create(CliConsole console, MachineServices services)
    {
        var stageOptions = new StageOptions();
        Option<bool> now = CommonOptions.Now();
        Option<string?> when = CommonOptions.When();
        var dryRun = new Option<bool>("--dry-run") { Description = "Show the kernel, initrds and command line that would be used, and change nothing." };
        Option<bool> yes = CommonOptions.Yes();
        var force = new Option<bool>("--force") { Description = "Switch even when the target kernel is the one running." };
        var inWindow = new Option<bool>("--in-window")
        {
            Description = "Refuse unless the local time is inside maintenance_window from rekernel.conf (for rekernel-upgrade.timer; no window set: any time).",
        };
        Option<bool> quiet = CommonOptions.Quiet();
        Option<bool> json = CommonOptions.Json();
        json.Description = "With --dry-run: print the whole plan (kernel, command line, switch mode, return path, warnings) as JSON.";
        var command = new Command("upgrade", "Stage the kernel the bootloader would boot next (or TARGET) and switch into it.")
        {
            now, when, dryRun, yes, force, inWindow, quiet, json,
        };
        stageOptions.AddTo(command);
        command.SetAction(parsed => CliApp.Guarded(console, () =>
        {
            CommonOptions.RefuseConflicting(parsed.GetValue(now), parsed.GetValue(when));
            if (parsed.GetValue(quiet) && !parsed.GetValue(yes) && !parsed.GetValue(dryRun))
                ThrowHelper.Usage("--quiet would hide the confirmation question; add --yes.");
            if (parsed.GetValue(json) && !parsed.GetValue(dryRun)) ThrowHelper.Usage("--json describes a plan; add --dry-run.");
            CliConsole output = parsed.GetValue(quiet) ? console.Quiet() : parsed.GetValue(json) ? console.WithoutProgress() : console;
            var request = new UpgradeRequest(
                stageOptions.Request(parsed),
                parsed.GetValue(now),
                CommonOptions.SwitchTimeFrom(parsed.GetValue(when), services.Clock.GetUtcNow(), services.TimeZone),
                parsed.GetValue(dryRun),
                parsed.GetValue(force),
                parsed.GetValue(inWindow),
                Confirmation.Asker(output, parsed.GetValue(yes), services.TimeZone));
            OperationEvents events = ConsoleEvents.For(output) with { Staged = plan => PlanRenderer.WriteStaged(output, plan) };
            UpgradeResult result = new Upgrade(services, events).Run(request);
            if (parsed.GetValue(json))
            {
                PlanRenderer.WriteJson(console, result.Plan, staged: false, result.Warnings, w =>
                {
                    w.WriteBoolean("alreadyRunning", result.Outcome == UpgradeOutcome.AlreadyRunning);
                    w.WriteString("mode", JournalJson.ModeName(result.Mode));
                    w.WriteString("then", SwitchDescription(result.Mode, parsed.GetValue(when)));
                    ReturnRouteRenderer.WriteJson(w, result.ReturnRoute);
                    WatchdogRenderer.WriteJson(w, result.Watchdog);
                });
                return (int)ExitCode.Success;
            }
            switch (result.Outcome)
            {
                case UpgradeOutcome.AlreadyRunning:
                    output.Out.WriteLine($"{result.Plan.Load.Entry.Version} is already running; nothing to do (use --force to switch into it anyway).");
                    break;
                case UpgradeOutcome.DryRun:
                    PlanRenderer.WriteDryRun(output, result.Plan);
                    output.Out.WriteLine($"  then     {SwitchDescription(result.Mode, parsed.GetValue(when))}");
                    output.Out.WriteLine($"  return   {ReturnRouteRenderer.Text(result.ReturnRoute!)}");
                    output.Out.WriteLine($"  watchdog {WatchdogRenderer.Text(result.Watchdog!)}");
                    break;
                default:
                    SwitchRenderer.WriteStarted(output, result.Switch!, services.TimeZone);
                    break;
            }
            return (int)ExitCode.Success;
        }));
        return command;
    }

    private static string SwitchDescription(SwitchMode mode, string? when) => mode switch
    {
        SwitchMode.Now => "switch at once (sync, reboot into the staged kernel; services are not stopped)",
        SwitchMode.Scheduled => $"switch at {when} through logind (services stop then)",
        _ => "switch through systemd's kexec.target (services stop cleanly first)",
    };
}
