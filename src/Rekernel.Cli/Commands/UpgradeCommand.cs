using System.CommandLine;
using Rekernel.Cli.Rendering;
using Rekernel.Config;
using Rekernel.Discovery;
using Rekernel.Planning;

namespace Rekernel.Cli.Commands;

/// <summary>
/// <c>rekernel upgrade</c>: the whole manual flow in one command — pick the kernel the bootloader would boot (or
/// the one named), stage it, journal the switch, and switch into it; nothing happens when it already runs.
/// </summary>
public static class UpgradeCommand
{
    public static Command Create(CliConsole console, CliServices services, SwitchServices switching)
    {
        var stageOptions = new StageOptions();
        var now = new Option<bool>("--now") { Description = "Jump at once with reboot(KEXEC) after sync: services are not stopped (for machines without systemd, or emergencies)." };
        var when = new Option<string?>("--when")
        {
            Description = "Switch later, through logind: now, +90s, +5min, +1h, HH:MM (next occurrence) or an ISO 8601 time.",
            HelpName = "TIME",
        };
        var dryRun = new Option<bool>("--dry-run") { Description = "Show the kernel, initrds and command line that would be used, and change nothing." };
        var yes = new Option<bool>("--yes", "-y") { Description = "Do not ask for confirmation (needed when standard input is not a terminal)." };
        var force = new Option<bool>("--force") { Description = "Switch even when the target kernel is the one running." };
        var inWindow = new Option<bool>("--in-window")
        {
            Description = "Refuse unless the local time is inside maintenance_window from rekernel.conf (for rekernel-upgrade.timer; no window set: any time).",
        };
        Option<bool> quiet = CommonOptions.Quiet();
        var command = new Command("upgrade", "Stage the kernel the bootloader would boot next (or TARGET) and switch into it.")
        {
            now, when, dryRun, yes, force, inWindow, quiet,
        };
        stageOptions.AddTo(command);
        command.SetAction(parsed => CliApp.Guarded(console, () =>
        {
            SwitchCommand.Request.RefuseConflicting(parsed.GetValue(now), parsed.GetValue(when));
            if (parsed.GetValue(quiet) && !parsed.GetValue(yes) && !parsed.GetValue(dryRun))
                ThrowHelper.Usage("--quiet would hide the confirmation question; add --yes.");
            CliConsole output = parsed.GetValue(quiet) ? console.Quiet() : console;
            StageRequest stage = stageOptions.Plan(parsed, output, services);
            BootEntry target = stage.Plan.Entry;
            if (target.Version is { } version && version == stage.System.Release && !parsed.GetValue(force))
            {
                output.Out.WriteLine($"{version} is already running; nothing to do (use --force to switch into it anyway).");
                return (int)ExitCode.Success;
            }
            // switch = now in the config makes the jump immediate unless the command line chose a time.
            bool immediate = parsed.GetValue(now) || (stage.Config.Switch == SwitchPolicy.Now && parsed.GetValue(when) is null);
            if (parsed.GetValue(dryRun))
            {
                StageOptions.Stage(stage, output, services, switching, dryRun: true);
                PlanRenderer.WriteDryRun(output, stage.Plan);
                output.Out.WriteLine($"  then     {SwitchDescription(immediate, parsed.GetValue(when))}");
                return (int)ExitCode.Success;
            }
            if (parsed.GetValue(inWindow)) RefuseOutsideWindow(stage.Config, switching);
            using IDisposable held = switching.Lock("rekernel upgrade", output);
            StageOptions.Stage(stage, output, services, switching, dryRun: false);
            PlanRenderer.WriteStaged(output, stage.Plan);
            var request = new SwitchCommand.Request(immediate, parsed.GetValue(when), Cancel: false, parsed.GetValue(yes));
            try
            {
                return SwitchCommand.Start(output, switching, switching.Journal(), request);
            }
            catch (Exception failure)
            {
                // upgrade staged the kernel only to switch into it: when the switch does not happen, leave nothing behind.
                try
                {
                    new Stager(services.Kexec(stage.Root)).Unload();
                    switching.Journal().ClearStaged();
                }
                catch (RekernelException cleanup)
                {
                    throw new RekernelException(cleanup.ExitCode,
                        $"{failure.Message.TrimEnd('.')}; the kernel is still staged because unloading it failed too ({cleanup.Message.TrimEnd('.')}); run `rekernel unload`.", failure);
                }
                throw;
            }
        }));
        return command;
    }

    /// <summary>Refuses when the config's maintenance window is set and the local time is outside it.</summary>
    private static void RefuseOutsideWindow(RekernelConfig config, SwitchServices switching)
    {
        if (config.MaintenanceWindow is not { } window) return;
        DateTime local = TimeZoneInfo.ConvertTime(switching.Clock.GetUtcNow(), switching.TimeZone).DateTime;
        var time = TimeOnly.FromDateTime(local);
        if (!window.Contains(time))
            ThrowHelper.Refuse($"it is {time:HH:mm}, outside the maintenance window {window} (maintenance_window in rekernel.conf); nothing was changed.");
    }

    private static string SwitchDescription(bool now, string? when) =>
        now ? "switch at once (sync, reboot into the staged kernel; services are not stopped)"
        : when is not null ? $"switch at {when} through logind (services stop then)"
        : "switch through systemd's kexec.target (services stop cleanly first)";
}
