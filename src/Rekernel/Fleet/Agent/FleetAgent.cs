using Rekernel.Fleet.Etcd;

namespace Rekernel.Fleet.Agent;

/// <summary>
/// <c>rekernel agent</c>'s cycle, one step at a time, with all state in etcd (keyed by host id, and by boot id
/// through <see cref="HostRecord.SwitchBoot"/>) so that a restarted agent, or the agent of the next boot, resumes:
/// pending switch, inside the window, group not halted → take a slot → pre-switch commands → stage and switch
/// gracefully → on the new boot verify and run the health commands → release the slot. Any failure keeps the slot
/// and halts the group with the reason, the host and the kernel. A slot is never freed because a host went quiet:
/// past the group's switch timeout it is overdue, and the group halts.
/// </summary>
public sealed class FleetAgent(FleetStore store, IHostBackend machine, AgentSettings settings, TimeProvider clock, Action<string> log)
{
    private string Host => settings.HostId;

    /// <summary>Looks at the machine and the group once and does what the cycle says; returns this host's record as written.</summary>
    public async Task<HostRecord> StepAsync(CancellationToken cancel = default)
    {
        // Asked before the facts: a switch seen under way and then a new boot settles; asked after, a machine that
        // came back in between would look as if its switch never started, and switch again.
        bool underWay = machine.SwitchUnderWay();
        HostFacts facts = machine.Read();
        GroupSnapshot group = await store.ReadAsync(Host, cancel).ConfigureAwait(false);
        HostRecord? record = group.Host;
        RefuseCollision(record, facts);
        if (group.Config is null)
            return await ReportAsync(group, facts, HostState.Waiting, $"group {store.Keys.Group} is not set up; run `rekernel fleet init {store.Keys.Group} --max-concurrent N`", cancel).ConfigureAwait(false);
        await HaltOverdueAsync(group, cancel).ConfigureAwait(false);

        if (group.Semaphore.Holds(Host))
        {
            if (record is { State: HostState.Failed }) return record;
            if (record is { State: HostState.Switching, SwitchBoot: { } left } && left != facts.BootId) return await SettleAsync(facts, record, cancel).ConfigureAwait(false);
            if (record is { State: HostState.Switching } && underWay) return record;
            return await SwitchAsync(facts, cancel).ConfigureAwait(false);
        }
        if (!facts.SwitchPending)
            return await ReportAsync(group, facts, record?.State == HostState.Done ? HostState.Done : HostState.Idle, null, cancel).ConfigureAwait(false);
        if (group.Halt is { } halt) return await ReportAsync(group, facts, HostState.Waiting, $"group halted: {halt.Reason}", cancel).ConfigureAwait(false);
        if (OutsideWindow() is { } outside) return await ReportAsync(group, facts, HostState.Waiting, outside, cancel).ConfigureAwait(false);
        if (group.FreeSlots <= 0) return await ReportAsync(group, facts, HostState.Waiting, "waiting for a slot", cancel).ConfigureAwait(false);

        HostRecord taking = Record(facts, HostState.Holding, null);
        if (!await store.TryTakeSlotAsync(group, new SlotHolder(Host, facts.Target!, clock.GetUtcNow()), taking, cancel).ConfigureAwait(false))
            return record ?? Record(facts, HostState.Waiting, "waiting for a slot");
        log($"took a slot in group {store.Keys.Group} to switch {facts.Running} -> {facts.Target}");
        return await SwitchAsync(facts, cancel).ConfigureAwait(false);
    }

    /// <summary>Steps until <paramref name="cancel"/> fires, keeping a presence lease; an unreachable etcd is waited out, never switched around.</summary>
    public async Task RunAsync(CancellationToken cancel)
    {
        var presence = new Presence(store, Host, settings.PollInterval, clock);
        string? last = null;
        while (!cancel.IsCancellationRequested)
        {
            string now;
            try
            {
                HostRecord record = await StepAsync(cancel).ConfigureAwait(false);
                await presence.RenewAsync(cancel).ConfigureAwait(false);
                now = record.Detail is { } d ? $"{Name(record.State)}: {d}" : Name(record.State);
            }
            catch (RekernelException ex)
            {
                now = ex is EtcdUnavailableException ? $"waiting for etcd: {ex.Message}" : $"not switching: {ex.Message}";
            }
            if (now != last) log(now);
            last = now;
            try { await Task.Delay(settings.PollInterval, clock, cancel).ConfigureAwait(false); }
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
    private async Task<HostRecord> SettleAsync(HostFacts facts, HostRecord switched, CancellationToken cancel)
    {
        string? failed = machine.Verify() ?? ShellCommands.RunAll(settings.PostSwitch, "post-switch", settings.CommandTimeout);
        if (failed is not null) return await FailAsync(facts with { Target = switched.Target }, failed, cancel).ConfigureAwait(false);
        HostRecord done = Record(facts, HostState.Done, null);
        await store.ReleaseAsync(Host, completed: true, done, cancel).ConfigureAwait(false);
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
