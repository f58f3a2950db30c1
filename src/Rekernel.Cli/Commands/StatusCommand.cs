using System.CommandLine;
using Rekernel.Cli.Rendering;
using Rekernel.Operations;

namespace Rekernel.Cli.Commands;

/// <summary><c>rekernel status</c>: running kernel, bootloader default, target, staged state and readiness.</summary>
public static class StatusCommand
{
    public static Command Create(CliConsole console, MachineServices services)
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
            var request = new StatusRequest(CommonOptions.BootRootFrom(parsed.GetValue(root)!), parsed.GetValue(running), parsed.GetValue(latest));
            // A cron job or timer asks --check every few minutes: answer it without the checks it does not print.
            if (parsed.GetValue(check) && !parsed.GetValue(json))
                return new Status(services).IsSwitchPending(request) ? (int)ExitCode.SwitchPending : (int)ExitCode.Success;
            StatusReport report = new Status(services).Run(request);
            if (parsed.GetValue(json)) StatusRenderer.WriteJson(console, report);
            else
            {
                WarningsWriter.Write(console, report.Inventory.Diagnostics);
                StatusRenderer.WriteText(console, report);
            }
            return parsed.GetValue(check) && report.SwitchPending ? (int)ExitCode.SwitchPending : (int)ExitCode.Success;
        }));
        return command;
    }
}
