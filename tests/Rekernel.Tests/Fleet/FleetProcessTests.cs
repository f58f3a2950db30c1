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
            Assert.All(agents, a => Assert.True((a.Machine.Running, a.Machine.Switches) == (AgentProcess.To, 1), a.Output));
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

    [Fact]
    public async Task AgentKilledWhileItsMachineSwitches_ResumesAfterARestart_AndSwitchesOnce()
    {
        using EtcdClient etcd = _etcd.Client();
        FleetStore store = await GroupAsync(etcd, "killed", 1);
        using var agent = new AgentProcess(_etcd.Endpoint, "killed", "victim", switchSeconds: 3).Start();
        await UntilAsync(() => Task.FromResult(agent.Machine.Switches == 1), [agent]);
        agent.Kill();
        Assert.Equal(HostState.Switching, (await RecordAsync(store, "victim"))!.State);

        agent.Start();
        await UntilAsync(async () => (await RecordAsync(store, "victim"))?.State == HostState.Done, [agent]);
        Assert.Equal((AgentProcess.To, 1), (agent.Machine.Running, agent.Machine.Switches));
        Assert.Contains($"switched to {AgentProcess.To}, verified; slot released", agent.Output);
        Semaphore end = (await store.ReadAsync()).Semaphore;
        Assert.Equal((0, 1), (end.Holders.Length, end.Completed));
        Assert.Null((await store.ReadAsync()).Halt);
    }

    [Fact]
    public async Task AgentKilledDuringItsPreSwitchCommand_RunsItAgainAfterARestart_AndSwitchesOnce()
    {
        using EtcdClient etcd = _etcd.Client();
        FleetStore store = await GroupAsync(etcd, "drain", 1);
        string runs = Path.Join(Path.GetTempPath(), $"rekernel-drain-{Guid.NewGuid():N}");
        using var agent = new AgentProcess(_etcd.Endpoint, "drain", "drained", false, 0.5, $"pre_switch = echo run >> {runs}; sleep 2").Start();
        try
        {
            await UntilAsync(() => Task.FromResult(File.Exists(runs)), [agent]);
            agent.Kill();
            Assert.Equal(HostState.Holding, (await RecordAsync(store, "drained"))!.State);
            Assert.Equal(0, agent.Machine.Switches);

            agent.Start();
            await UntilAsync(async () => (await RecordAsync(store, "drained"))?.State == HostState.Done, [agent]);
            Assert.Equal(["run", "run"], File.ReadAllLines(runs));
            Assert.Equal((AgentProcess.To, 1), (agent.Machine.Running, agent.Machine.Switches));
            Assert.Empty((await store.ReadAsync()).Semaphore.Holders);
        }
        finally
        {
            File.Delete(runs);
        }
    }

    [Fact]
    public async Task TwoMachinesGivenTheSameHostId_OnlyOneSwitches_TheOtherSaysWhy()
    {
        using EtcdClient etcd = _etcd.Client();
        FleetStore store = await GroupAsync(etcd, "twins", 2);
        using var first = new AgentProcess(_etcd.Endpoint, "twins", "twin", switchSeconds: 0.5).Start();
        using var second = new AgentProcess(_etcd.Endpoint, "twins", "twin", switchSeconds: 0.5).Start();
        await UntilAsync(async () => (await RecordAsync(store, "twin"))?.State == HostState.Done && (first.Output + second.Output).Contains("already used by another machine"), [first, second]);
        await Task.Delay(TimeSpan.FromSeconds(2)); // two more polls of the refused one
        Assert.Equal(1, first.Machine.Switches + second.Machine.Switches);
        AgentProcess refused = first.Machine.Switches == 0 ? first : second;
        AgentProcess winner = refused == first ? second : first;
        Assert.Contains(
            $"not switching: host id twin in group twins is already used by another machine (machine id {winner.Machine.MachineId}, this one is {refused.Machine.MachineId}), so this one does not switch; give each machine its own --host-id (host_id in rekernel.conf's [fleet]), or run `rekernel fleet forget twin --group twins` if the other machine left the fleet.",
            refused.Output);
        Assert.False(refused.Exited);
        Assert.Equal(winner.Machine.MachineId, (await RecordAsync(store, "twin"))!.Machine);
        GroupSnapshot end = await store.ReadAsync();
        Assert.Null(end.Halt);
        Assert.Equal((0, 1), (end.Semaphore.Holders.Length, end.Semaphore.Completed));
    }

    [Fact]
    public async Task CorruptHostRecord_AgentKeepsRunningAndSaysWhichKey_AndNothingSwitches()
    {
        using EtcdClient etcd = _etcd.Client();
        FleetStore store = await GroupAsync(etcd, "garbled", 1);
        await etcd.PutAsync(new PutRequest(Encoding.UTF8.GetBytes(store.Keys.Host("h1")), "not json at all"u8.ToArray()));
        using var agent = new AgentProcess(_etcd.Endpoint, "garbled", "h1", switchSeconds: 0.5).Start();
        await UntilAsync(() => Task.FromResult(agent.Output.Contains("not switching: ")), [agent]);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.Contains("not switching: etcd key /rekernel/v1/groups/garbled/hosts/h1 is not valid JSON for rekernel (", agent.Output);
        Assert.DoesNotContain("   at ", agent.Output);
        Assert.False(agent.Exited);
        Assert.Equal(0, agent.Machine.Switches);
        Assert.Empty((await store.ReadAsync()).Semaphore.Holders);
    }

    [Fact]
    public void GroupNameWithOddCharacters_AgentRefusesAtStart_WithExitCode2_AndNothingSwitches()
    {
        using var agent = new AgentProcess(_etcd.Endpoint, "web/../db", "h1").Start();
        agent.WaitForExit(TimeSpan.FromSeconds(20));
        Assert.Equal((int)ExitCode.Usage, agent.ExitCode);
        Assert.Equal("rekernel: 'web/../db' is not a valid group name: use 1 to 63 letters, digits, '.', '_' or '-', starting with a letter or digit (--group, or group in rekernel.conf's [fleet]).", agent.Output.Trim());
        Assert.Equal(0, agent.Machine.Switches);
    }
}
