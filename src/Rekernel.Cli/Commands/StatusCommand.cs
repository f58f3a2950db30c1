using System.CommandLine;
using Rekernel.Cli.Rendering;
using Rekernel.Config;
using Rekernel.Discovery;
using Rekernel.Journal;
using Rekernel.Planning;

namespace Rekernel.Cli.Commands;

/// <summary><c>rekernel status</c>: running kernel, bootloader default, target, staged state and readiness.</summary>
public static class StatusCommand
{
    public static Command Create(CliConsole console, CliServices services, SwitchServices switching)
    {
        Option<string> root = CommonOptions.Root();
        Option<bool> json = CommonOptions.Json();
        Option<string?> running = CommonOptions.Running();
        var latest = new Option<bool>("--latest") { Description = "Take the newest installed kernel as the upgrade target instead of the bootloader default (also: target = latest in rekernel.conf)." };
        var check = new Option<bool>("--check")
        {
            Description = "Print nothing unless asked with --json; exit 1 when a switch is pending, 0 when the target already runs (for cron and Ansible).",
        };
        var command = new Command("status", "Show the running kernel, the bootloader default, what an upgrade would do, and whether this machine is ready for kexec.")
        {
            root, json, running, latest, check,
        };
        command.SetAction(parsed => CliApp.Guarded(console, () =>
        {
            BootRoot bootRoot = CommonOptions.BootRootFrom(parsed.GetValue(root)!);
            var system = new RunningSystem(bootRoot, parsed.GetValue(running));
            BootInventory inventory = services.Discover(bootRoot);
            bool newest = parsed.GetValue(latest) || services.Config().Target == TargetPolicy.Latest;
            BootEntry? target = newest ? inventory.Newest : inventory.Default;
            var report = new StatusReport(
                system.Release,
                inventory,
                target,
                SwitchPending(target, system.Release),
                system.KexecLoaded,
                system.KexecLoaded == true ? StagedInThisBoot(switching.Journal(), system) : null,
                ReadinessChecks.Evaluate(bootRoot, system, services.EffectiveUid()));
            if (parsed.GetValue(json)) StatusRenderer.WriteJson(console, report);
            else if (!parsed.GetValue(check))
            {
                WarningsWriter.Write(console, inventory.Diagnostics);
                StatusRenderer.WriteText(console, report);
            }
            return parsed.GetValue(check) && report.SwitchPending ? (int)ExitCode.SwitchPending : (int)ExitCode.Success;
        }));
        return command;
    }

    /// <summary>
    /// What <c>rekernel load</c> recorded in this boot. A record from an earlier boot names nothing that is loaded
    /// now; an unreadable record only costs status the version, which <c>switch</c> and <c>load</c> report themselves.
    /// </summary>
    private static StagedKernel? StagedInThisBoot(SwitchJournal journal, RunningSystem system)
    {
        try
        {
            return journal.Staged is { } staged && staged.BootId == system.Line(SwitchCommand.BootIdPath) ? staged : null;
        }
        catch (RekernelException)
        {
            return null;
        }
    }

    /// <summary>A switch is pending when the target is known and is not the running kernel.</summary>
    private static bool SwitchPending(BootEntry? target, string? running) =>
        target?.Version is { } version && running is not null && version != running;
}
