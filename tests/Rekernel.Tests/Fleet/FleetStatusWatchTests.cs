using Rekernel.Cli;
using Rekernel.Cli.Commands;
using Rekernel.Fleet;
using Rekernel.Fleet.Etcd;
using Rekernel.Tests.Switching;

namespace Rekernel.Tests.Fleet;

/// <summary><c>fleet status --watch</c> against a real etcd: a line per change when the output is not a terminal.</summary>
public sealed class FleetStatusWatchTests : IClassFixture<EtcdServerFixture>
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 4, 0, 0, TimeSpan.Zero);
    private readonly EtcdServer _etcd;

    public FleetStatusWatchTests(EtcdServerFixture fixture) => _etcd = fixture.Server;

    [Fact]
    public async Task WatchingARollout_PrintsALineForEachChange_UntilStopped()
    {
        using EtcdClient etcd = _etcd.Client();
        var store = new FleetStore(etcd, new FleetKeys("watched"));
        await store.InitAsync(new GroupConfig(IFleetRecord.CurrentFormat, 1, [], GroupConfig.DefaultSwitchTimeoutSeconds));
        await store.PutHostAsync(new HostRecord(1, "h1", "b1", "old", "new", HostState.Waiting, Now));
        var output = new StringWriter();
        var console = new CliConsole(TextWriter.Synchronized(output), TextWriter.Null);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        Task watching = FleetCommand.WatchStatusAsync(console, store, new FixedClock(Now), stop.Token);
        await Until(() => Lines(output) == 1);
        GroupSnapshot seen = await store.ReadAsync("h1");
        Assert.True(await store.TryTakeSlotAsync(seen, new SlotHolder("h1", "new", Now), new HostRecord(1, "h1", "b1", "old", "new", HostState.Switching, Now)));
        await Until(() => Lines(output) == 2);
        await store.ReleaseAsync("h1", completed: true, new HostRecord(1, "h1", "b2", "new", "new", HostState.Done, Now));
        await Until(() => Lines(output) == 3);
        await stop.CancelAsync();
        await watching.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(
            "2026-12-02 04:00:00Z 0/1 hosts on target, 0 slots held, 0 failed, not halted\n" +
            "2026-12-02 04:00:00Z 0/1 hosts on target, 1 slots held (h1), 0 failed, not halted\n" +
            "2026-12-02 04:00:00Z 1/1 hosts on target, 0 slots held, 0 failed, not halted\n",
            output.ToString());
    }

    private static int Lines(StringWriter output) => output.ToString().Count(c => c == '\n');

    private static async Task Until(Func<bool> condition)
    {
        for (int i = 0; i < 200 && !condition(); i++) await Task.Delay(50);
        Assert.True(condition());
    }
}
