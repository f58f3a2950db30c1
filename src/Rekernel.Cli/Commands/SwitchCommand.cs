using System.CommandLine;
using Rekernel.Cli.Rendering;
using Rekernel.Journal;
using Rekernel.Operations;

namespace Rekernel.Cli.Commands;

/// <summary>
/// <c>rekernel switch</c>: jump into the staged kernel, gracefully through systemd (default), at once
/// (<c>--now</c>) or later through logind (<c>--when</c>); the pending switch is journaled before the jump.
/// </summary>
public static class SwitchCommand
{
    public static Command Create(CliConsole console, MachineServices services)
    {
        Option<bool> now = CommonOptions.Now();
        Option<string?> when = CommonOptions.When();
        var cancel = new Option<bool>("--cancel") { Description = "Cancel a switch scheduled with --when." };
        Option<bool> yes = CommonOptions.Yes();
        var command = new Command("switch", "Switch into the staged kernel: stop services through systemd's kexec.target, then jump.")
        {
            now, when, cancel, yes,
        };
        command.SetAction(parsed => CliApp.Guarded(console, () =>
        {
            CommonOptions.RefuseConflicting(parsed.GetValue(now), parsed.GetValue(when), parsed.GetValue(cancel));
            var operation = new Switch(services, ConsoleEvents.For(console));
            if (parsed.GetValue(cancel))
            {
                (bool logind, SwitchRecord? cancelled) = operation.Cancel();
                console.Out.WriteLine(logind || cancelled is not null
                    ? $"cancelled the switch to {cancelled?.ToVersion ?? "the staged kernel"}; the kernel stays staged."
                    : "no switch was scheduled.");
                return (int)ExitCode.Success;
            }
            var request = new SwitchRequest(
                parsed.GetValue(now),
                CommonOptions.SwitchTimeFrom(parsed.GetValue(when), services.Clock.GetUtcNow(), services.TimeZone),
                Confirmation.Asker(console, parsed.GetValue(yes), services.TimeZone));
            SwitchRenderer.WriteStarted(console, operation.Start(request), services.TimeZone);
            return (int)ExitCode.Success;
        }));
        return command;
    }
}
