using System.CommandLine;
using Rekernel.Discovery;
using Rekernel.Journal;
using Rekernel.Kexec;
using Rekernel.Switching;

namespace Rekernel.Cli.Commands;

/// <summary>
/// <c>rekernel switch</c>: jump into the staged kernel, gracefully through systemd (default), at once
/// (<c>--now</c>) or later through logind (<c>--when</c>); the pending switch is journaled before the jump.
/// </summary>
public static class SwitchCommand
{
    public const string BootIdPath = "/proc/sys/kernel/random/boot_id";

    public static Command Create(CliConsole console, SwitchServices services)
    {
        var now = new Option<bool>("--now") { Description = "Jump at once with reboot(KEXEC) after sync: services are not stopped (for machines without systemd, or emergencies)." };
        var when = new Option<string?>("--when")
        {
            Description = "Switch later, through logind: now, +90s, +5min, +1h, HH:MM (next occurrence) or an ISO 8601 time.",
            HelpName = "TIME",
        };
        var cancel = new Option<bool>("--cancel") { Description = "Cancel a switch scheduled with --when." };
        var yes = new Option<bool>("--yes", "-y") { Description = "Do not ask for confirmation (needed when standard input is not a terminal)." };
        var command = new Command("switch", "Switch into the staged kernel: stop services through systemd's kexec.target, then jump.")
        {
            now, when, cancel, yes,
        };
        command.SetAction(parsed => CliApp.Guarded(console, () =>
        {
            var request = new Request(parsed.GetValue(now), parsed.GetValue(when), parsed.GetValue(cancel), parsed.GetValue(yes));
            return Run(console, services, request);
        }));
        return command;
    }

    internal readonly record struct Request(bool Now, string? When, bool Cancel, bool Yes)
    {
        /// <summary>The option combinations <c>switch</c> and <c>upgrade</c> both refuse, before anything is touched.</summary>
        public static void RefuseConflicting(bool now, string? when, bool cancel = false)
        {
            if (cancel && (now || when is not null)) ThrowHelper.Usage("--cancel cannot be combined with --now or --when.");
            if (now && when is not null) ThrowHelper.Usage("--now and --when exclude each other; --when now already means a graceful switch at once.");
        }
    }

    private static int Run(CliConsole console, SwitchServices services, Request request)
    {
        Request.RefuseConflicting(request.Now, request.When, request.Cancel);
        using var held = services.Lock("rekernel switch");
        SwitchJournal journal = services.Journal();
        return request.Cancel ? CancelScheduled(console, services, journal) : Start(console, services, journal, request);
    }

    /// <summary>Journals and starts the switch into what is staged; the caller holds the lock.</summary>
    internal static int Start(CliConsole console, SwitchServices services, SwitchJournal journal, Request request)
    {
        IKexecSystem kexec = services.Kexec();
        switch (kexec.IsLoaded)
        {
            case false: ThrowHelper.NotFound("no kernel is staged; run `rekernel load` first."); break;
            case null: ThrowHelper.Refuse("cannot tell whether a kernel is staged (/sys/kernel/kexec_loaded is unreadable); is /sys mounted?"); break;
        }
        DateTimeOffset requestedAt = services.Clock.GetUtcNow();
        SwitchTime? time = request.When is { } w ? SwitchTime.Parse(w, requestedAt, services.TimeZone) : null;
        SwitchMode mode = request.Now ? SwitchMode.Now : time is { IsNow: false } ? SwitchMode.Scheduled : SwitchMode.Graceful;
        if (mode != SwitchMode.Now && !InitSystem.IsSystemd(services.SystemRoot))
            ThrowHelper.Refuse("PID 1 is not systemd, so services cannot be stopped through kexec.target; use --now to sync and jump at once (services are not stopped).");

        var running = new RunningSystem(services.SystemRoot);
        string bootId = running.Line(BootIdPath) ?? throw new RekernelException(ExitCode.Refused, $"cannot read {BootIdPath}, so a later `rekernel verify` could not tell the switch happened; is /proc mounted?");
        StagedKernel? staged = journal.Staged is { } s && s.BootId == bootId ? s : null;
        if (staged is null)
            console.Error.WriteLine("rekernel: warning: the staged kernel was not loaded by `rekernel load` in this boot, so its version is unknown; `rekernel verify` will only check that the kernel changed.");

        var record = new SwitchRecord
        {
            FromVersion = running.Release ?? "unknown",
            ToVersion = staged?.Version,
            EntryId = staged?.EntryId,
            KernelPath = staged?.KernelPath,
            Cmdline = staged?.Cmdline,
            RequestedAt = requestedAt,
            ScheduledFor = mode == SwitchMode.Scheduled ? time!.Value.At : null,
            Mode = mode,
            BootId = bootId,
        };
        if (!request.Yes) Confirm(console, Describe(record, services.TimeZone));
        journal.RecordPending(record);
        try
        {
            Perform(console, services, kexec, record);
        }
        catch (RekernelException ex)
        {
            journal.Complete(SwitchOutcome.Failed, services.Clock.GetUtcNow(), detail: ex.Message);
            throw;
        }
        return (int)ExitCode.Success;
    }

    private static void Perform(CliConsole console, SwitchServices services, IKexecSystem kexec, SwitchRecord record)
    {
        string target = record.ToVersion ?? "the staged kernel";
        switch (record.Mode)
        {
            case SwitchMode.Scheduled:
                services.Scheduler().Schedule(record.ScheduledFor!.Value);
                console.Out.WriteLine($"switch to {target} scheduled for {Local(record.ScheduledFor!.Value, services.TimeZone)}; cancel it with `rekernel switch --cancel`.");
                break;
            case SwitchMode.Graceful:
                services.Graceful().Switch();
                console.Out.WriteLine($"switching to {target}: systemd is stopping services ({SystemdSwitcher.Unit}); run `rekernel verify` once the machine is back.");
                break;
            default:
                console.Out.WriteLine($"switching to {target} now (sync, then reboot into the staged kernel).");
                console.Out.Flush();
                new DirectSwitcher(kexec).Switch();
                break;
        }
    }

    private static int CancelScheduled(CliConsole console, SwitchServices services, SwitchJournal journal)
    {
        bool cancelled = services.Scheduler().Cancel();
        SwitchRecord? pending = journal.Pending is { Mode: SwitchMode.Scheduled } p ? p : null;
        if (pending is not null) journal.Complete(SwitchOutcome.Cancelled, services.Clock.GetUtcNow(), detail: "cancelled with `rekernel switch --cancel`");
        console.Out.WriteLine(cancelled || pending is not null
            ? $"cancelled the switch to {pending?.ToVersion ?? "the staged kernel"}; the kernel stays staged."
            : "no switch was scheduled.");
        return (int)ExitCode.Success;
    }

    private static void Confirm(CliConsole console, string question)
    {
        if (console.Input is null)
            ThrowHelper.Refuse("switch asks for confirmation, but standard input is not a terminal; pass --yes to switch without asking.");
        console.Out.Write($"{question} [y/N] ");
        console.Out.Flush();
        string answer = (console.Input.ReadLine() ?? "").Trim();
        if (!answer.Equals("y", StringComparison.OrdinalIgnoreCase) && !answer.Equals("yes", StringComparison.OrdinalIgnoreCase))
            ThrowHelper.Refuse("not confirmed; nothing was changed (the kernel stays staged).");
    }

    private static string Describe(SwitchRecord r, TimeZoneInfo zone)
    {
        string move = $"Switch from {r.FromVersion} to {r.ToVersion ?? "the staged kernel"}";
        return r.Mode switch
        {
            SwitchMode.Now => $"{move} now, WITHOUT stopping services?",
            SwitchMode.Scheduled => $"{move} at {Local(r.ScheduledFor!.Value, zone)}? Services will stop then.",
            _ => $"{move} now? Services will stop and the machine restarts into the new kernel.",
        };
    }

    internal static string Local(DateTimeOffset time, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(time, zone).ToString("yyyy-MM-dd HH:mm:ss zzz", System.Globalization.CultureInfo.InvariantCulture);
}
