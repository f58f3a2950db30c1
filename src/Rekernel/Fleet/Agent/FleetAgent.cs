using Rekernel.Fleet.Etcd;

namespace Rekernel.Fleet.Agent;

/// <summary>
/// <c>rekernel agent</c>'s cycle, one step at a time, with all state in etcd (keyed by host id, and by boot id
/// through <see cref="HostRecord.SwitchBoot"/>) so that a restarted agent, or the agent of the next boot, resumes:
/// pending switch, inside the window, group not halted → take a slot → pre-switch commands → stage and switch
/// gracefully → on the new boot verify and run the health commands → release the slot. Any failure keeps the slot
/// and halts the group with the reason, the host and the kernel. A slot is never freed because a host went quiet:
/// past the group's switch timeout it is overdue, and the group halts. Between steps a waiting agent watches etcd
/// rather than polling it (<c>FleetAgent.Wait.cs</c>).
/// </summary>
public sealed partial class FleetAgent(FleetStore store, IHostBackend machine, AgentSettings settings, TimeProvider clock, Action<string> log)
{
    private readonly Presence _presence = new(store, settings.HostId, settings.PollInterval, clock);

    /// <summary>The group as the last step read it, and what this host waits for in it.</summary>
    private GroupSnapshot? _seen;
    private Waiting _waiting;

    /// <summary>This host's place in the queue (its queue key's create revision), once read; 0 when not known.</summary>
    private long _queuedAt;

    private string Host => settings.HostId;

    /// <summary>Looks at the machine and the group once and does what the cycle says; returns this host's record as written.</summary>
    public async Task<HostRecord> StepAsync(CancellationToken cancel = default)
    {
        _waiting = Waiting.Nothing;
        // Asked before the facts: a switch seen under way and then a new boot settles; asked after, a machine that
        // came back in between would look as if its switch never started, and switch again.
        bool underWay = machine.SwitchUnderWay();
        HostFacts facts = machine.Read();
        bool due = facts.SwitchPending && OutsideWindow() is null;
        // A machine that would refuse the switch does not queue: taking a slot only to be refused would halt the
        // whole group over one host's set-up (PID 1 not systemd with switch = graceful, kexec disabled, ...).
        string? notReady = due ? machine.NotReady() : null;
        // A host that would switch now queues for a slot in the same request as it reads the group.
        GroupSnapshot group = _seen = await (due && notReady is null ? ReadQueuedAsync(cancel) : store.ReadAsync(Host, cancel)).ConfigureAwait(false);
        HostRecord? record = group.Host;
        RefuseCollision(record, facts);
        if (group.Config is null)
            return await ReportAsync(group, facts, HostState.Waiting, $"group {store.Keys.Group} is not set up; run `rekernel fleet init {store.Keys.Group} --max-concurrent N`", cancel).ConfigureAwait(false);
        await HaltOverdueAsync(group, cancel).ConfigureAwait(false);

        if (group.Semaphore.Holds(Host))
        {
            if (record is { State: HostState.Failed }) return record;
            if (record is { State: HostState.Switching, SwitchBoot: { } left } && left != facts.BootId) return await SettleAsync(facts, record, group, cancel).ConfigureAwait(false);
            if (record is { State: HostState.Switching } && underWay) return record;
            return await SwitchAsync(facts, cancel).ConfigureAwait(false);
        }
        if (!facts.SwitchPending)
        {
            await LeaveQueueAsync(group, cancel).ConfigureAwait(false);
            return await ReportAsync(group, facts, record?.State == HostState.Done ? HostState.Done : HostState.Idle, null, cancel).ConfigureAwait(false);
        }
        if (group.Halt is { } halt)
        {
            _waiting = Waiting.Resume;
            return await ReportAsync(group, facts, HostState.Waiting, $"group halted: {halt.Reason}", cancel).ConfigureAwait(false);
        }
        if (OutsideWindow() is { } outside)
        {
            await LeaveQueueAsync(group, cancel).ConfigureAwait(false);
            return await ReportAsync(group, facts, HostState.Waiting, outside, cancel).ConfigureAwait(false);
        }
        if (notReady is not null)
        {
            await LeaveQueueAsync(group, cancel).ConfigureAwait(false);
            return await ReportAsync(group, facts, HostState.Waiting, $"not ready to switch: {notReady.TrimEnd('.')}", cancel).ConfigureAwait(false);
        }
        // First come, first served: a host takes a slot only when no host queued ahead of it still waits for one,
        // so that a freed slot is tried by one host rather than by all of them.
        if (group.FreeSlots <= 0 || !group.NearFront || group.WaitingAhead.Any())
        {
            _waiting = Waiting.Slot;
            return await ReportAsync(group, facts, HostState.Waiting, "waiting for a slot", cancel).ConfigureAwait(false);
        }

        HostRecord taking = Record(facts, HostState.Holding, null);
        if (!await store.TryTakeSlotAsync(group, new SlotHolder(Host, facts.Target!, clock.GetUtcNow()), taking, cancel).ConfigureAwait(false))
        {
            _waiting = Waiting.Slot;
            return record ?? Record(facts, HostState.Waiting, "waiting for a slot");
        }
        log($"took a slot in group {store.Keys.Group} to switch {facts.Running} -> {facts.Target}");
        return await SwitchAsync(facts, cancel).ConfigureAwait(false);
    }

    /// <summary>Steps until <paramref name="cancel"/> fires, keeping a presence lease; an unreachable etcd is waited out, never switched around.</summary>
    public async Task RunAsync(CancellationToken cancel)
    {
        string? last = null;
        while (!cancel.IsCancellationRequested)
        {
            string now;
            try
            {
                await _presence.RenewAsync(cancel).ConfigureAwait(false);
                HostRecord record = await StepAsync(cancel).ConfigureAwait(false);
                machine.Report(record.State);
                now = record.Detail is { } d ? $"{Name(record.State)}: {d}" : Name(record.State);
            }
            catch (RekernelException ex)
            {
                now = ex is EtcdUnavailableException ? $"waiting for etcd: {ex.Message}" : $"not switching: {ex.Message}";
            }
            // Stopped while a request was in flight: a stop, not a failure.
            catch (OperationCanceledException) when (cancel.IsCancellationRequested) { return; }
            if (now != last) log(now);
            last = now;
            try { await IdleAsync(cancel).ConfigureAwait(false); }
            catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>Holding a slot: pre-switch commands, then record the boot being left, then stage and switch.</summary>
    private async Task<HostRecord> SwitchAsync(HostFacts facts, CancellationToken cancel)
    {
        if (ShellCommands.RunAll(settings.PreSwitch, "pre-switch", settings.CommandTimeout) is { } failed) return await FailAsync(facts, failed, cancel).ConfigureAwait(false);
        HostRecord switching = Record(facts, HostState.Switching, null) with { SwitchBoot = facts.BootId };
        await store.PutHostAsync(switching, cancel).ConfigureAwait(false);
        try
        {
            machine.Switch();
        }
        catch (RekernelException ex)
        {
            return await FailAsync(facts, $"the switch did not start: {ex.Message.TrimEnd('.')}", cancel).ConfigureAwait(false);
        }
        log($"switching to {facts.Target}");
        return switching;
    }

    /// <summary>On the boot after the switch: verify, then the health commands; success releases the slot.</summary>
    private async Task<HostRecord> SettleAsync(HostFacts facts, HostRecord switched, GroupSnapshot group, CancellationToken cancel)
    {
        string? failed = machine.Verify() ?? ShellCommands.RunAll(settings.PostSwitch, "post-switch", settings.CommandTimeout);
        if (failed is not null) return await FailAsync(facts with { Target = switched.Target }, failed, cancel).ConfigureAwait(false);
        HostRecord done = Record(facts, HostState.Done, null);
        await store.ReleaseAsync(Host, completed: true, done, group, cancel).ConfigureAwait(false);
        log($"switched to {facts.Running}, verified; slot released");
        return done;
    }

    /// <summary>Keeps the slot, marks the host failed and halts the group (unless already halted: the first reason stays).</summary>
    private async Task<HostRecord> FailAsync(HostFacts facts, string why, CancellationToken cancel)
    {
        HostRecord failed = Record(facts, HostState.Failed, why);
        var halt = new HaltRecord(IFleetRecord.CurrentFormat, $"{Host} failed to switch to {facts.Target}: {why}", Host, facts.Target, clock.GetUtcNow());
        await store.HaltAsync(halt, failed, cancel).ConfigureAwait(false);
        log($"halted group {store.Keys.Group}: {halt.Reason}");
        return failed;
    }

    /// <summary>Reads the group, queueing this host when it is not queued, with the hosts just ahead of it (a second read when its place was not known).</summary>
    private async Task<GroupSnapshot> ReadQueuedAsync(CancellationToken cancel)
    {
        int nearest = _seen?.Config?.MaxConcurrent ?? 1;
        GroupSnapshot group = await store.ReadQueuedAsync(Host, _presence.Lease, _queuedAt, nearest, cancel).ConfigureAwait(false);
        if (group.QueuedAt == _queuedAt && group.Config?.MaxConcurrent == nearest) return group;
        _queuedAt = group.QueuedAt;
        return await store.ReadQueuedAsync(Host, _presence.Lease, _queuedAt, group.Config?.MaxConcurrent ?? 1, cancel).ConfigureAwait(false);
    }

    private async Task LeaveQueueAsync(GroupSnapshot group, CancellationToken cancel)
    {
        if (group.QueuedAt == 0) return;
        await store.DequeueAsync(Host, cancel).ConfigureAwait(false);
        _queuedAt = 0;
    }

    private async Task HaltOverdueAsync(GroupSnapshot group, CancellationToken cancel)
    {
        if (group.Halt is not null || group.Overdue(clock.GetUtcNow()).FirstOrDefault() is not { } late) return;
        string reason = $"{late.Host} has held its slot since {late.Since:u} without reporting back (switch timeout {group.Config!.SwitchTimeoutSeconds} s)";
        if (await store.HaltAsync(new HaltRecord(IFleetRecord.CurrentFormat, reason, late.Host, late.Kernel, clock.GetUtcNow()), null, cancel).ConfigureAwait(false))
            log($"halted group {store.Keys.Group}: {reason}");
    }

    private string? OutsideWindow()
    {
        if (settings.Window is not { } window) return null;
        var time = TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), settings.TimeZone).DateTime);
        return window.Contains(time) ? null : $"outside the maintenance window {window}";
    }

    /// <summary>
    /// Writes the record only when something in it changed, so that a waiting host costs one read per step, and only
    /// when nobody else wrote it since <paramref name="group"/> was read (the next step reads what they wrote).
    /// </summary>
    private async Task<HostRecord> ReportAsync(GroupSnapshot group, HostFacts facts, HostState state, string? detail, CancellationToken cancel)
    {
        HostRecord now = Record(facts, state, detail);
        if (group.Host is { } previous && previous with { UpdatedAt = now.UpdatedAt, SwitchBoot = null } == now) return previous;
        return await store.TryPutHostAsync(now, group, cancel).ConfigureAwait(false) ? now : group.Host ?? now;
    }

    /// <summary>
    /// Stops when this host id's record was written by another machine: two machines given one host id would share
    /// its slot, and the second would "verify" the first one's switch or switch too.
    /// </summary>
    private void RefuseCollision(HostRecord? record, HostFacts facts)
    {
        if (record?.Machine is { } other && facts.MachineId is { } self && other != self)
            throw new RekernelException(ExitCode.Refused,
                $"host id {Host} in group {store.Keys.Group} is already used by another machine (machine id {other}, this one is {self}), so this one does not switch; give each machine its own --host-id (host_id in rekernel.conf's [fleet]), or run `rekernel fleet forget {Host} --group {store.Keys.Group}` if the other machine left the fleet.");
    }

    private HostRecord Record(HostFacts facts, HostState state, string? detail) =>
        new(IFleetRecord.CurrentFormat, Host, facts.BootId, facts.Running, facts.Target, state, clock.GetUtcNow(), null, detail, facts.MachineId);

    public static string Name(HostState state) => state.ToString().ToLowerInvariant();
}
