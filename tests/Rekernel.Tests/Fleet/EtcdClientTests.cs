using System.Text;
using Rekernel.Fleet.Etcd;
using static Rekernel.Fleet.Etcd.EtcdWire;

namespace Rekernel.Tests.Fleet;

/// <summary>The JSON-gateway client against Debian's etcd 3.4.</summary>
public sealed class EtcdClientTests : IClassFixture<EtcdServerFixture>
{
    private readonly EtcdServer _etcd;

    public EtcdClientTests(EtcdServerFixture fixture) => _etcd = fixture.Server;

    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    [Fact]
    public async Task PutThenRange_ReturnsTheValueAndItsRevisions()
    {
        using EtcdClient client = _etcd.Client();
        await client.PutAsync(new PutRequest(B("/t/put/a"), B("hello")));
        RangeResponse range = await client.RangeAsync(new RangeRequest(B("/t/put/a")));
        KeyValue kv = Assert.Single(range.Kvs!);
        Assert.Equal("hello", Encoding.UTF8.GetString(kv.Value!));
        Assert.Equal(1, kv.Version);
        Assert.True(kv.ModRevision > 0);
    }

    [Fact]
    public async Task TxnWhoseCompareFails_ReportsNotSucceeded_ThoughEtcdOmitsTheField()
    {
        using EtcdClient client = _etcd.Client();
        await client.PutAsync(new PutRequest(B("/t/txn/a"), B("1")));
        TxnResponse absent = await client.TxnAsync(new TxnRequest([new Compare(B("/t/txn/a"), "EQUAL", "VERSION", Version: 0)], [], []));
        TxnResponse present = await client.TxnAsync(new TxnRequest([new Compare(B("/t/txn/a"), "EQUAL", "VERSION", Version: 1)], [], []));
        Assert.False(absent.Succeeded);
        Assert.True(present.Succeeded);
    }

    [Fact]
    public async Task DeleteRange_WithPrefixEnd_DeletesEveryKeyUnderThePrefix()
    {
        using EtcdClient client = _etcd.Client();
        foreach (string k in (string[])["/t/del/a", "/t/del/b", "/t/dem"]) await client.PutAsync(new PutRequest(B(k), B("x")));
        DeleteRangeResponse deleted = await client.DeleteRangeAsync(new DeleteRangeRequest(B("/t/del/"), Rekernel.Fleet.FleetKeys.PrefixEnd("/t/del/")));
        Assert.Equal(2, deleted.Deleted);
        Assert.Single((await client.RangeAsync(new RangeRequest(B("/t/dem")))).Kvs!);
    }

    [Fact]
    public async Task LeaseGrantAndKeepAlive_RenewTheLease()
    {
        using EtcdClient client = _etcd.Client();
        LeaseGrantResponse lease = await client.LeaseGrantAsync(30);
        Assert.Equal(30, lease.Ttl);
        Assert.True(await client.LeaseKeepAliveAsync(lease.Id));
        Assert.False(await client.LeaseKeepAliveAsync(lease.Id + 12345));
    }

    [Fact]
    public async Task FirstEndpointDown_FailsOverToTheNext()
    {
        using EtcdClient client = _etcd.Client(new EtcdOptions { Endpoints = [new Uri($"http://127.0.0.1:{EtcdServer.FreePort()}"), _etcd.Endpoint] });
        await client.PutAsync(new PutRequest(B("/t/failover"), B("y")));
        Assert.Single((await client.RangeAsync(new RangeRequest(B("/t/failover")))).Kvs!);
    }

    [Fact]
    public async Task NoEndpointAnswers_SaysWhichWereTriedInOneSentence()
    {
        int port = EtcdServer.FreePort();
        using var client = new EtcdClient(new EtcdOptions { Endpoints = [new Uri($"http://127.0.0.1:{port}")], RequestTimeout = TimeSpan.FromSeconds(1) });
        var error = await Assert.ThrowsAsync<EtcdUnavailableException>(() => client.RangeAsync(new RangeRequest(B("/x"))));
        Assert.StartsWith($"cannot reach etcd at 127.0.0.1:{port} (", error.Message.Replace("http://", ""));
        Assert.EndsWith("check that etcd runs and the endpoints (--etcd, endpoints in rekernel.conf's [fleet]) and TLS files are right.", error.Message);
        Assert.Equal(ExitCode.EtcdFailed, error.ExitCode);
    }

    [Fact]
    public async Task OneWatchStreamOnTwoKeys_DeliversBoth_AndLeavesOutPutsWhereFiltered()
    {
        using EtcdClient client = _etcd.Client();
        PutResponse start = await client.PutAsync(new PutRequest(B("/t/watch/start"), B("x")));
        await client.PutAsync(new PutRequest(B("/t/watch/b"), B("ignored: a put under NOPUT")));
        await client.PutAsync(new PutRequest(B("/t/watch/a"), B("1")));
        await client.DeleteRangeAsync(new DeleteRangeRequest(B("/t/watch/b")));
        long before = client.Requests;
        var seen = new List<string>();
        await foreach (WatchResult result in client.WatchAsync([
            new WatchCreateRequest(B("/t/watch/a"), null, start.Header!.Revision + 1),
            new WatchCreateRequest(B("/t/watch/b"), null, start.Header.Revision + 1, ["NOPUT"])]))
        {
            seen.AddRange((result.Events ?? []).Select(e => $"{e.Type ?? "PUT"} {Encoding.UTF8.GetString(e.Kv!.Key)}"));
            if (seen.Count == 2) break;
        }
        Assert.Equal(["DELETE /t/watch/b", "PUT /t/watch/a"], seen.Order());
        Assert.Equal(1, client.Requests - before);
    }
}
