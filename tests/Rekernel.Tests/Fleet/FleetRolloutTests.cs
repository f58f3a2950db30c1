using System.Text;
using Rekernel.Fleet;
using Rekernel.Fleet.Agent;
using Rekernel.Fleet.Etcd;
using Rekernel.Fleet.Simulation;
using static Rekernel.Fleet.Etcd.EtcdWire;

namespace Rekernel.Tests.Fleet;

/// <summary>Rollouts of simulated hosts running the real agent against a real etcd; each test has its own group.</summary>
public sealed class FleetRolloutTests : IClassFixture<EtcdServerFixture>
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);
    private readonly EtcdServer _etcd;

    public FleetRolloutTests(EtcdServerFixture fixture) => _etcd = fixture.Server;

    private static GroupConfig Policy(int maxConcurrent, params string[] slices) =>
        new(IFleetRecord.CurrentFormat, maxConcurrent, slices, GroupConfig.DefaultSwitchTimeoutSeconds);

    private static AgentSettings Settings(string host) => new() { HostId = host, PollInterval = Poll };

    [Fact]
    public async Task TenHostsTwoAtATime_AllEndOnTarget_AndEtcdsHistoryNeverShowsMoreThanTwoSlots()
    {
        using EtcdClient etcd = _etcd.Client();
        var result = await new FleetSimulation(etcd, new FleetKeys("ten"), TimeProvider.System)
            .RunAsync(10, Policy(2), TimeSpan.FromMilliseconds(500), 0, Poll);
        Assert.Equal(10, result.OnTarget);
        Assert.InRange(result.MaxSlotsHeld, 1, 2);
        Assert.False(result.Halted);
        Assert.Null(result.HaltReason);
    }

    [Fact]
    public async Task FortyHostsFourAtATime_WaitingHostsWatchRatherThanPoll_AtMostTwentyEtcdRequestsPerHost()
    {
        using EtcdClient etcd = _etcd.Client();
        // Polling every 50 ms through a rollout of about 10 x 400 ms would cost each waiting host some 40 reads.
        var result = await new FleetSimulation(etcd, new FleetKeys("watching"), TimeProvider.System)
            .RunAsync(40, Policy(4), TimeSpan.FromMilliseconds(400), 0, TimeSpan.FromMilliseconds(50));
        Assert.Equal(40, result.OnTarget);
        Assert.InRange(result.MaxSlotsHeld, 1, 4);
        Assert.InRange(result.RequestsPerHost, 1, 20);
    }

    [Fact]
    public async Task HostQueuedBehindAFullGroup_WaitsForTheHostAheadToRelease_ThenTakesTheSlot()
    {
        using EtcdClient etcd = _etcd.Client();
        var store = new FleetStore(etcd, new FleetKeys("queue"));
        await store.InitAsync(Policy(1));
        var first = new SimulatedHost("old", "new", false, TimeSpan.FromMilliseconds(300), TimeProvider.System);
        var second = new SimulatedHost("old", "new", false, TimeSpan.Zero, TimeProvider.System);
        Assert.Equal(HostState.Switching, (await new FleetAgent(store, first, Settings("first"), TimeProvider.System, _ => { }).StepAsync()).State);
        var waiting = new FleetAgent(store, second, Settings("second"), TimeProvider.System, _ => { });
        Assert.Equal("waiting for a slot", (await waiting.StepAsync()).Detail);

        Task woken = waiting.WaitAsync(TimeSpan.FromMinutes(1), CancellationToken.None);
        await Task.Delay(400);
        Assert.False(woken.IsCompleted);
        Assert.Equal(HostState.Done, (await new FleetAgent(store, first, Settings("first"), TimeProvider.System, _ => { }).StepAsync()).State);
        await woken.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(HostState.Switching, (await waiting.StepAsync()).State);
        Assert.Equal(1, second.Switches);
    }

    [Fact]
    public async Task BadKernelOnEveryHost_WithACanarySlice_HaltsAfterTheCanaryAlone()
    {
        using EtcdClient etcd = _etcd.Client();
        var result = await new FleetSimulation(etcd, new FleetKeys("bad"), TimeProvider.System)
            .RunAsync(8, Policy(4, "1"), TimeSpan.FromMilliseconds(300), 8, Poll);
        Assert.Equal(1, result.BadHostsSwitched);
        Assert.Equal(0, result.OnTarget);
        Assert.True(result.Halted);
        Assert.EndsWith("failed to switch to 6.1.0-53-simulated: the machine came back on 6.1.0-47-simulated, not 6.1.0-53-simulated", result.HaltReason);
        Assert.Equal(1, result.MaxSlotsHeld);
    }

    [Fact]
    public async Task UnreachableEtcd_AgentWaitsAndRetries_AndNeverSwitches()
    {
        using var etcd = new EtcdClient(new EtcdOptions { Endpoints = [new Uri($"http://127.0.0.1:{EtcdServer.FreePort()}")], RequestTimeout = TimeSpan.FromMilliseconds(200) });
        var machine = new SimulatedHost("old", "new", false, TimeSpan.Zero, TimeProvider.System);
        var log = new List<string>();
        var agent = new FleetAgent(new FleetStore(etcd, new FleetKeys("down")), machine, Settings("h1"), TimeProvider.System, log.Add);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(1.5));
        await agent.RunAsync(stop.Token);
        Assert.Equal(0, machine.Switches);
        Assert.StartsWith("waiting for etcd: cannot reach etcd at http://127.0.0.1:", Assert.Single(log));
        Assert.True(etcd.Requests >= 3, $"the agent tried {etcd.Requests} times");
    }

    [Fact]
    public async Task CorruptGroupConfig_StopsWithTheKeyNamed_AndNothingSwitches()
    {
        using EtcdClient etcd = _etcd.Client();
        var keys = new FleetKeys("corrupt");
        await etcd.PutAsync(new PutRequest(Encoding.UTF8.GetBytes(keys.Config), "{\"format\":1,\"maxConcurrent\":"u8.ToArray()));
        var machine = new SimulatedHost("old", "new", false, TimeSpan.Zero, TimeProvider.System);
        var agent = new FleetAgent(new FleetStore(etcd, keys), machine, Settings("h1"), TimeProvider.System, _ => { });
        var error = await Assert.ThrowsAsync<RekernelException>(() => agent.StepAsync());
        Assert.StartsWith("etcd key /rekernel/v1/groups/corrupt/config is not valid JSON for rekernel (", error.Message);
        Assert.EndsWith("so nothing is switched; repair or delete it (`rekernel fleet init` rewrites a group's config, `rekernel fleet forget` a host's record).", error.Message);
        Assert.Equal(ExitCode.FleetHalted, error.ExitCode);
        Assert.Equal(0, machine.Switches);
    }

    [Fact]
    public async Task SemaphoreOfAnUnknownFormat_IsRefusedWithTheFormatNamed()
    {
        using EtcdClient etcd = _etcd.Client();
        var keys = new FleetKeys("future");
        var store = new FleetStore(etcd, keys);
        await store.InitAsync(Policy(1));
        await etcd.PutAsync(new PutRequest(Encoding.UTF8.GetBytes(keys.Semaphore), "{\"format\":2,\"slots\":{}}"u8.ToArray()));
        var machine = new SimulatedHost("old", "new", false, TimeSpan.Zero, TimeProvider.System);
        var error = await Assert.ThrowsAsync<RekernelException>(() => new FleetAgent(store, machine, Settings("h1"), TimeProvider.System, _ => { }).StepAsync());
        Assert.Equal("etcd key /rekernel/v1/groups/future/semaphore has format 2, which this rekernel (format 1) does not read; upgrade rekernel on this host, or rewrite the key with this version's `rekernel fleet` commands.", error.Message);
        Assert.Equal(0, machine.Switches);
    }

    [Fact]
    public async Task HaltWrittenAfterAHostReadTheGroup_RefusesItsSlot()
    {
        using EtcdClient etcd = _etcd.Client();
        var store = new FleetStore(etcd, new FleetKeys("race"));
        await store.InitAsync(Policy(5));
        GroupSnapshot seen = await store.ReadAsync("h1");
        await store.HaltAsync(new HaltRecord(1, "operator", null, null, DateTimeOffset.UtcNow));
        var record = new HostRecord(1, "h1", "boot", "old", "new", HostState.Holding, DateTimeOffset.UtcNow);
        Assert.False(await store.TryTakeSlotAsync(seen, new SlotHolder("h1", "new", DateTimeOffset.UtcNow), record));
        Assert.Empty((await store.ReadAsync()).Semaphore.Holders);
    }

    [Fact]
    public async Task HostHoldingItsSlotPastTheSwitchTimeout_IsOverdue_AndAnotherAgentHaltsTheGroup()
    {
        using EtcdClient etcd = _etcd.Client();
        var store = new FleetStore(etcd, new FleetKeys("overdue"));
        await store.InitAsync(Policy(2) with { SwitchTimeoutSeconds = 60 });
        GroupSnapshot seen = await store.ReadAsync();
        var since = DateTimeOffset.UtcNow.AddMinutes(-2);
        await store.TryTakeSlotAsync(seen, new SlotHolder("quiet", "new", since), new HostRecord(1, "quiet", "b", "old", "new", HostState.Switching, since, "b"));
        var machine = new SimulatedHost("old", "new", false, TimeSpan.Zero, TimeProvider.System);
        HostRecord other = await new FleetAgent(store, machine, Settings("other"), TimeProvider.System, _ => { }).StepAsync();
        GroupSnapshot after = await store.ReadAsync();
        Assert.StartsWith("quiet has held its slot since ", after.Halt!.Reason);
        Assert.EndsWith("without reporting back (switch timeout 60 s)", after.Halt.Reason);
        Assert.Equal("quiet", after.Halt.Host);
        Assert.True(after.Semaphore.Holds("quiet"));
        Assert.Equal(HostState.Waiting, other.State);
        Assert.Equal(0, machine.Switches);
    }

    /// <summary>A machine whose switch ends while the agent looks at it: down at the first look, back on the new kernel from the second.</summary>
    private sealed class BackAfterTheFirstLook : IHostBackend
    {
        private int _looks;

        public int Switches { get; private set; }

        private bool Back => _looks++ > 0;

        public HostFacts Read() => Back ? new HostFacts("boot-2", "new", "new") : new HostFacts("boot-1", "old", "new");

        public bool SwitchUnderWay() => !Back;

        public void Switch() => Switches++;

        public string? NotReady() => null;

        public string? Verify() => null;

        public void Report(HostState state) { }
    }

    [Fact]
    public async Task MachineComingBackWhileItsAgentSteps_IsSettled_NotSwitchedAgain()
    {
        using EtcdClient etcd = _etcd.Client();
        var store = new FleetStore(etcd, new FleetKeys("midstep"));
        await store.InitAsync(Policy(1));
        var since = DateTimeOffset.UtcNow;
        await store.TryTakeSlotAsync(await store.ReadAsync("h1"), new SlotHolder("h1", "new", since), new HostRecord(1, "h1", "boot-1", "old", "new", HostState.Switching, since, "boot-1"));
        var machine = new BackAfterTheFirstLook();
        HostRecord record = await new FleetAgent(store, machine, Settings("h1"), TimeProvider.System, _ => { }).StepAsync();
        Assert.Equal((HostState.Done, "new", 0), (record.State, record.Running, machine.Switches));
        Assert.Empty((await store.ReadAsync()).Semaphore.Holders);
    }

    /// <summary>A machine the switch would refuse (the message is the one rekernel gives without systemd as PID 1).</summary>
    private sealed class RefusingMachine : IHostBackend
    {
        public int Switches { get; private set; }

        public HostFacts Read() => new("boot-1", "old", "new");

        public string? NotReady() => "PID 1 is not systemd, so services cannot be stopped through kexec.target; sync and jump at once instead (services are not stopped).";

        public bool SwitchUnderWay() => false;

        public void Switch() => Switches++;

        public string? Verify() => null;

        public void Report(HostState state) { }
    }

    [Fact]
    public async Task HostWhoseSwitchWouldBeRefused_NeitherQueuesNorTakesASlot_AndTheNextHostGoesAhead()
    {
        using EtcdClient etcd = _etcd.Client();
        var store = new FleetStore(etcd, new FleetKeys("notready"));
        await store.InitAsync(Policy(1));
        var refusing = new RefusingMachine();
        HostRecord record = await new FleetAgent(store, refusing, Settings("nosystemd"), TimeProvider.System, _ => { }).StepAsync();
        Assert.Equal(HostState.Waiting, record.State);
        Assert.Equal("not ready to switch: PID 1 is not systemd, so services cannot be stopped through kexec.target; sync and jump at once instead (services are not stopped)", record.Detail);
        GroupSnapshot group = await store.ReadAsync("nosystemd");
        Assert.Equal((0, 0L), (group.Semaphore.Holders.Length, group.QueuedAt));
        Assert.Null(group.Halt);

        var ready = new SimulatedHost("old", "new", false, TimeSpan.FromMinutes(1), TimeProvider.System);
        Assert.Equal(HostState.Switching, (await new FleetAgent(store, ready, Settings("ready"), TimeProvider.System, _ => { }).StepAsync()).State);
        Assert.Equal((0, 1), (refusing.Switches, ready.Switches));
    }
}
