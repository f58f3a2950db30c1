using Rekernel.Fleet;
using Rekernel.Fleet.Etcd;
using Rekernel.Fleet.Simulation;
using Semaphore = Rekernel.Fleet.Semaphore;

namespace Rekernel.Tests.Fleet;

/// <summary>Rollouts of simulated hosts (the real agent) while etcd itself fails: each test has its own etcd.</summary>
public sealed class EtcdFailureTests
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    private static GroupConfig Policy(int maxConcurrent) =>
        new(IFleetRecord.CurrentFormat, maxConcurrent, [], GroupConfig.DefaultSwitchTimeoutSeconds);

    [Fact]
    public async Task EtcdKilledAndRestartedMidRollout_OnItsDataDir_LosesNothing()
    {
        using var server = new EtcdServer();
        using EtcdClient etcd = server.Client(new EtcdOptions { Endpoints = [server.Endpoint], RequestTimeout = TimeSpan.FromSeconds(1) });
        var keys = new FleetKeys("restart");
        Task<SimulationResult> rollout = new FleetSimulation(etcd, keys, TimeProvider.System).RunAsync(8, Policy(2), TimeSpan.FromMilliseconds(600), 0, Poll);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Semaphore before = (await new FleetStore(etcd, keys).ReadAsync()).Semaphore;
        server.Kill();
        await Task.Delay(TimeSpan.FromSeconds(1));
        server.Start();
        SimulationResult result = await rollout;

        Assert.InRange(before.Completed, 1, 7);
        Assert.Equal(8, result.OnTarget);
        Assert.False(result.Halted);
        Semaphore end = (await new FleetStore(etcd, keys).ReadAsync()).Semaphore;
        Assert.Equal((0, 8), (end.Holders.Length, end.Completed));
        Assert.InRange(await SemaphoreHistory.MostHoldersAsync(etcd, keys), 1, 2);
        Assert.Equal(8, (await new FleetStore(etcd, keys).HostsAsync()).Hosts.Count(h => h.State == HostState.Done));
    }

    [Fact]
    public async Task ThreeMemberCluster_LeaderKilledMidRollout_TheRolloutCarriesOn()
    {
        using var cluster = new EtcdCluster();
        using var etcd = new EtcdClient(new EtcdOptions { Endpoints = cluster.Endpoints, RequestTimeout = TimeSpan.FromSeconds(1) });
        var keys = new FleetKeys("cluster");
        Task<SimulationResult> rollout = new FleetSimulation(etcd, keys, TimeProvider.System).RunAsync(8, Policy(2), TimeSpan.FromMilliseconds(600), 0, Poll);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Semaphore before = (await new FleetStore(etcd, keys).ReadAsync()).Semaphore;
        EtcdServer leader = await cluster.LeaderAsync();
        leader.Kill();
        SimulationResult result = await rollout;

        Assert.InRange(before.Completed, 1, 7);
        Assert.Equal(8, result.OnTarget);
        Assert.False(result.Halted);
        Assert.InRange(result.MaxSlotsHeld, 1, 2);
        Assert.NotSame(leader, await cluster.LeaderAsync());
        Semaphore end = (await new FleetStore(etcd, keys).ReadAsync()).Semaphore;
        Assert.Equal((0, 8), (end.Holders.Length, end.Completed));
        Assert.InRange(await SemaphoreHistory.MostHoldersAsync(etcd, keys), 1, 2);
    }
}
