using System.Text;
using Rekernel.Fleet;
using Rekernel.Fleet.Etcd;
using static Rekernel.Fleet.Etcd.EtcdWire;
using Semaphore = Rekernel.Fleet.Semaphore;

namespace Rekernel.Tests.Fleet;

/// <summary>
/// Agents as separate processes (<c>rekernel agent --simulated-machine</c>, one per host, poll interval 1 s)
/// against a real etcd; each test has its own group. What happened is read from etcd and the machines' files.
/// </summary>
public sealed class FleetProcessTests : IClassFixture<EtcdServerFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(40);
    private readonly EtcdServer _etcd;

    public FleetProcessTests(EtcdServerFixture fixture) => _etcd = fixture.Server;

    private static async Task<FleetStore> GroupAsync(EtcdClient etcd, string group, int maxConcurrent)
    {
        var store = new FleetStore(etcd, new FleetKeys(group));
        await store.InitAsync(new GroupConfig(IFleetRecord.CurrentFormat, maxConcurrent, [], GroupConfig.DefaultSwitchTimeoutSeconds));
        return store;
    }

    /// <summary>Polls <paramref name="done"/> until it holds; past the deadline, fails with what the agents printed.</summary>
    private static async Task UntilAsync(Func<Task<bool>> done, IEnumerable<AgentProcess> agents)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!await done())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail("timed out; the agents printed:\n" + string.Join("\n--\n", agents.Select(a => a.Output)));
            await Task.Delay(200);
        }
    }

    private static async Task<HostRecord?> RecordAsync(FleetStore store, string host) => (await store.ReadAsync(host)).Host;

    [Fact]
    public async Task SixAgentProcessesTwoAtATime_AllEndOnTheNewKernel_AndEtcdsHistoryNeverShowsMoreThanTwoSlots()
    {
        using EtcdClient etcd = _etcd.Client();
        FleetStore store = await GroupAsync(etcd, "procs", 2);
        AgentProcess[] agents = [.. Enumerable.Range(1, 6).Select(i => new AgentProcess(_etcd.Endpoint, "procs", $"host{i}", switchSeconds: 1.5).Start())];
        try
        {
            await UntilAsync(async () => (await store.HostsAsync()).Hosts is { Count: 6 } hosts && hosts.All(h => h.State == HostState.Done), agents);
            Assert.All(agents, a => Assert.Equal((AgentProcess.To, 1), (a.Machine.Running, a.Machine.Switches)));
            Assert.InRange(await SemaphoreHistory.MostHoldersAsync(store.Etcd, store.Keys), 1, 2);
            Semaphore end = (await store.ReadAsync()).Semaphore;
            Assert.Empty(end.Holders);
            Assert.Equal(6, end.Completed);
        }
        finally
        {
            foreach (AgentProcess a in agents) a.Dispose();
        }
    }
}
