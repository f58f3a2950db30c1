using System.Diagnostics;
using System.Text;
using Rekernel.Fleet.Agent;
using Rekernel.Fleet.Etcd;

namespace Rekernel.Fleet.Simulation;

/// <summary>
/// <c>fleet simulate</c>: N simulated hosts in one process against a real etcd, each running the real agent
/// (<see cref="FleetAgent"/>) over a <see cref="SimulatedHost"/>. "Rebooting" ends the host's agent; a new agent
/// starts when the host is back, knowing only what is in etcd — as after a real switch.
/// </summary>
public sealed class FleetSimulation(EtcdClient etcd, FleetKeys keys, TimeProvider clock)
{
    public const string FromRelease = "6.1.0-47-simulated";
    public const string ToRelease = "6.1.0-53-simulated";

    /// <param name="badHosts">How many hosts get a bad target kernel (they come back on the old one).</param>
    public async Task<SimulationResult> RunAsync(int hosts, GroupConfig config, TimeSpan switchTime, int badHosts, TimeSpan poll, CancellationToken cancel = default)
    {
        var store = new FleetStore(etcd, keys);
        await ForgetAllAsync(cancel).ConfigureAwait(false);
        await store.InitAsync(config, cancel).ConfigureAwait(false);
        long start = (await store.ReadAsync(null, cancel).ConfigureAwait(false)).Revision;
        long requestsBefore = etcd.Requests;
        var stopwatch = Stopwatch.StartNew();

        // Bad hosts spread evenly, so that which one the canary is does not decide the result.
        SimulatedHost[] machines = [.. Enumerable.Range(0, hosts).Select(i =>
            new SimulatedHost(FromRelease, ToRelease, badHosts > 0 && i % Math.Max(1, hosts / badHosts) == 0 && i / Math.Max(1, hosts / badHosts) < badHosts, switchTime, clock))];
        var settings = Enumerable.Range(0, hosts).Select(i => new AgentSettings { HostId = $"sim-{i:D5}", PollInterval = poll }).ToArray();
        await Task.WhenAll(Enumerable.Range(0, hosts).Select(i => Task.Run(() => HostAsync(store, machines[i], settings[i], cancel), cancel))).ConfigureAwait(false);

        double seconds = stopwatch.Elapsed.TotalSeconds;
        double requests = (double)(etcd.Requests - requestsBefore) / hosts;
        GroupSnapshot end = await store.ReadAsync(null, cancel).ConfigureAwait(false);
        return new SimulationResult(
            hosts,
            machines.Count(m => m.Read().Running == ToRelease),
            await MaxSlotsHeldAsync(start, end, cancel).ConfigureAwait(false),
            Math.Round(seconds, 2),
            Math.Round(requests, 1),
            end.Halt is not null,
            end.Halt?.Reason,
            machines.Count(m => m.Bad && m.Switches > 0));
    }

    /// <summary>One host: agents started and ended by its boots, until it is on target, failed, or waits on a halted group.</summary>
    private async Task HostAsync(FleetStore store, SimulatedHost machine, AgentSettings settings, CancellationToken cancel)
    {
        while (true)
        {
            var agent = new FleetAgent(store, machine, settings, clock, _ => { });
            while (!machine.SwitchUnderWay())
            {
                HostRecord record;
                try
                {
                    record = await agent.StepAsync(cancel).ConfigureAwait(false);
                }
                catch (EtcdUnavailableException)
                {
                    await Task.Delay(settings.PollInterval, clock, cancel).ConfigureAwait(false);
                    continue;
                }
                if (record.State is HostState.Done or HostState.Failed || (record.State == HostState.Idle && !machine.Read().SwitchPending)) return;
                if (record.State == HostState.Waiting && record.Detail?.StartsWith("group halted", StringComparison.Ordinal) == true) return;
                if (!machine.SwitchUnderWay()) await agent.WaitAsync(settings.PollInterval, cancel).ConfigureAwait(false);
            }
            TimeSpan down = machine.BackAt!.Value - clock.GetUtcNow();
            if (down > TimeSpan.Zero) await Task.Delay(down, clock, cancel).ConfigureAwait(false);
        }
    }

    /// <summary>The most holders the semaphore ever listed between the two revisions, read back from etcd's history.</summary>
    private async Task<int> MaxSlotsHeldAsync(long start, GroupSnapshot end, CancellationToken cancel)
    {
        if (end.SemaphoreKey is not { } last || last.ModRevision <= start) return 0;
        var versions = await etcd.HistoryAsync(Encoding.UTF8.GetBytes(keys.Semaphore), start + 1, last.ModRevision, cancel).ConfigureAwait(false);
        return versions.Max(v => (FleetRecords.Decode(v with { Value = v.Value ?? "{\"format\":1,\"holders\":[],\"completed\":0}"u8.ToArray() }, FleetRecords.Json.Semaphore)?.Holders.Length) ?? 0);
    }

    /// <summary>Removes every key of the group (an earlier simulation's hosts, halt and semaphore): the simulation starts clean.</summary>
    private async Task ForgetAllAsync(CancellationToken cancel) =>
        await etcd.DeleteRangeAsync(new EtcdWire.DeleteRangeRequest(Encoding.UTF8.GetBytes(keys.Prefix), FleetKeys.PrefixEnd(keys.Prefix)), cancel).ConfigureAwait(false);
}
