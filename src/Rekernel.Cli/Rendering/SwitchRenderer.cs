using Rekernel.Journal;
using Rekernel.Switching;

namespace Rekernel.Cli.Rendering;

/// <summary>What <c>switch</c> and <c>upgrade</c> say once a switch has started (an immediate jump says it before, through the events).</summary>
public static class SwitchRenderer
{
    public static void WriteStarted(CliConsole console, SwitchRecord record, TimeZoneInfo zone)
    {
        string target = record.ToVersion ?? "the staged kernel";
        switch (record.Mode)
        {
            case SwitchMode.Scheduled:
                console.Out.WriteLine($"switch to {target} scheduled for {Confirmation.Local(record.ScheduledFor!.Value, zone)}; cancel it with `rekernel switch --cancel`.");
                break;
            case SwitchMode.Graceful:
                console.Out.WriteLine($"switching to {target}: systemd is stopping services ({SystemdSwitcher.Unit}); run `rekernel verify` once the machine is back.");
                break;
        }
    }
}
