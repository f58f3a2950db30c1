using System.Text;
using Rekernel.Fleet.Etcd;
using static Rekernel.Fleet.Etcd.EtcdWire;

namespace Rekernel.Fleet;

/// <summary>
/// A group's records in etcd and the transactions that change them. Every change that must not race is one
/// transaction comparing what was read: taking a slot compares the semaphore's <c>mod_revision</c> and the halt
/// key's absence together, so no host can start a switch after a halt was written.
/// </summary>
public sealed class FleetStore(EtcdClient etcd, FleetKeys keys)
{
    public FleetKeys Keys => keys;
    public EtcdClient Etcd => etcd;

    /// <summary>The group's config, halt, semaphore, host count and (when given) one host's record and queue place, in one request.</summary>
    public async Task<GroupSnapshot> ReadAsync(string? host = null, CancellationToken cancel = default)
    {
        TxnResponse response = await etcd.TxnAsync(new TxnRequest([], Reads(host), []), cancel).ConfigureAwait(false);
        return Snapshot(response, host);
    }

    /// <summary>
    /// As <see cref="ReadAsync"/> for <paramref name="host"/>, queueing it for a slot first when it is not queued, in
    /// the same request: behind every host already queued (its key's create revision is its place), bound to lease
    /// <paramref name="lease"/> when not 0, so that an agent that goes away leaves the queue. When its place
    /// <paramref name="queuedAt"/> is already known, the up to <paramref name="nearest"/> hosts just ahead of it are
    /// read too (only those: a whole queue of a thousand hosts, read by each, is what etcd's gateway chokes on).
    /// </summary>
    public async Task<GroupSnapshot> ReadQueuedAsync(string host, long lease, long queuedAt, int nearest, CancellationToken cancel = default)
    {
        RequestOp[] reads = Reads(host);
        if (queuedAt > 0)
            reads = [.. reads, new(RequestRange: new RangeRequest(Bytes(keys.QueuePrefix), FleetKeys.PrefixEnd(keys.QueuePrefix), KeysOnly: true,
                Limit: nearest, SortOrder: "DESCEND", SortTarget: "CREATE", MaxCreateRevision: queuedAt - 1))];
        // A range after a put in one transaction sees the put.
        TxnResponse response = await etcd.TxnAsync(new TxnRequest(
            [Absent(keys.Queue(host))], [new(RequestPut: new PutRequest(Bytes(keys.Queue(host)), Bytes(host), lease)), .. reads], reads), cancel).ConfigureAwait(false);
        return Snapshot(response, host);
    }

    private RequestOp[] Reads(string? host) =>
    [
        Get(keys.Config), Get(keys.Halt), Get(keys.Semaphore),
        new(RequestRange: new RangeRequest(Bytes(keys.HostsPrefix), FleetKeys.PrefixEnd(keys.HostsPrefix), CountOnly: true)),
        .. host is null ? Array.Empty<RequestOp>() : [Get(keys.Host(host)), Get(keys.Queue(host))],
    ];

    private GroupSnapshot Snapshot(TxnResponse response, string? host)
    {
        RangeResponse[] ranges = [.. (response.Responses ?? []).Where(r => r.ResponsePut is null).Select(r => r.ResponseRange ?? new RangeResponse(null, null, 0))];
        KeyValue? semaphoreKey = First(ranges[2]);
        KeyValue? hostKey = host is null ? null : First(ranges[4]);
        return new GroupSnapshot(
            response.Header?.Revision ?? 0,
            FleetRecords.Decode(First(ranges[0]), FleetRecords.Json.GroupConfig),
            FleetRecords.Decode(First(ranges[1]), FleetRecords.Json.HaltRecord),
            FleetRecords.Decode(semaphoreKey, FleetRecords.Json.Semaphore) ?? Semaphore.Empty,
            semaphoreKey,
            (int)ranges[3].Count,
            FleetRecords.Decode(hostKey, FleetRecords.Json.HostRecord),
            ranges.Length > 5 ? First(ranges[5])?.CreateRevision ?? 0 : 0,
            ranges.Length > 6 ? [.. (ranges[6].Kvs ?? []).Reverse().Select(kv => Encoding.UTF8.GetString(kv.Key)[keys.QueuePrefix.Length..])] : null,
            hostKey?.ModRevision ?? 0);
    }

    /// <summary>Every host record of the group, and the hosts whose presence lease is alive.</summary>
    public async Task<(IReadOnlyList<HostRecord> Hosts, IReadOnlySet<string> Online)> HostsAsync(CancellationToken cancel = default)
    {
        RangeResponse hosts = await etcd.RangeAsync(new RangeRequest(Bytes(keys.HostsPrefix), FleetKeys.PrefixEnd(keys.HostsPrefix)), cancel).ConfigureAwait(false);
        RangeResponse online = await etcd.RangeAsync(new RangeRequest(Bytes(keys.OnlinePrefix), FleetKeys.PrefixEnd(keys.OnlinePrefix), KeysOnly: true), cancel).ConfigureAwait(false);
        return (
            [.. (hosts.Kvs ?? []).Select(kv => FleetRecords.Decode(kv, FleetRecords.Json.HostRecord)!)],
            (online.Kvs ?? []).Select(kv => Encoding.UTF8.GetString(kv.Key)[keys.OnlinePrefix.Length..]).ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>
    /// Adds <paramref name="holder"/> to the semaphore and writes <paramref name="host"/>, only if the semaphore and
    /// the host's record are unchanged since <paramref name="seen"/> and the group is not halted; false when any changed.
    /// </summary>
    public async Task<bool> TryTakeSlotAsync(GroupSnapshot seen, SlotHolder holder, HostRecord host, CancellationToken cancel = default)
    {
        TxnResponse response = await etcd.TxnAsync(new TxnRequest(
            [SemaphoreUnchanged(seen), HostUnchanged(host.Host, seen), Absent(keys.Halt)],
            [Put(keys.Semaphore, FleetRecords.Encode(seen.Semaphore.With(holder), FleetRecords.Json.Semaphore)), PutHost(host)],
            []), cancel).ConfigureAwait(false);
        return response.Succeeded;
    }

    /// <summary>Frees <paramref name="host"/>'s slot and queue place (counting a completed switch when <paramref name="completed"/>) and writes its record, retrying on concurrent changes; <paramref name="read"/>, when given, is a snapshot just read, tried first.</summary>
    public async Task<bool> ReleaseAsync(string host, bool completed, HostRecord? record, GroupSnapshot? read = null, CancellationToken cancel = default)
    {
        while (true)
        {
            GroupSnapshot seen = read ?? await ReadAsync(null, cancel).ConfigureAwait(false);
            read = null;
            if (!seen.Semaphore.Holds(host))
            {
                if (record is not null) await PutHostAsync(record, cancel).ConfigureAwait(false);
                return false;
            }
            RequestOp[] writes = [Put(keys.Semaphore, FleetRecords.Encode(seen.Semaphore.Without(host, completed), FleetRecords.Json.Semaphore)), Delete(keys.Queue(host)), .. record is null ? Array.Empty<RequestOp>() : [PutHost(record)]];
            TxnResponse response = await etcd.TxnAsync(new TxnRequest([SemaphoreUnchanged(seen)], writes, []), cancel).ConfigureAwait(false);
            if (response.Succeeded) return true;
        }
    }

    /// <summary>Writes the halt record unless the group is already halted (the first reason stays); false when it was.</summary>
    public async Task<bool> HaltAsync(HaltRecord halt, HostRecord? host = null, CancellationToken cancel = default)
    {
        RequestOp[] writes = [Put(keys.Halt, FleetRecords.Encode(halt, FleetRecords.Json.HaltRecord)), .. host is null ? Array.Empty<RequestOp>() : [PutHost(host)]];
        TxnResponse response = await etcd.TxnAsync(new TxnRequest([Absent(keys.Halt)], writes, host is null ? [] : [PutHost(host)]), cancel).ConfigureAwait(false);
        return response.Succeeded;
    }

    /// <summary>Deletes the halt record; false when the group was not halted.</summary>
    public async Task<bool> ResumeAsync(CancellationToken cancel = default) =>
        (await etcd.DeleteRangeAsync(new DeleteRangeRequest(Bytes(keys.Halt)), cancel).ConfigureAwait(false)).Deleted > 0;

    /// <summary>Writes the group's config and, when absent, an empty semaphore; a re-init starts a new rollout (the canary slices count again) and keeps the holders.</summary>
    public async Task InitAsync(GroupConfig config, CancellationToken cancel = default)
    {
        while (true)
        {
            GroupSnapshot seen = await ReadAsync(null, cancel).ConfigureAwait(false);
            Semaphore semaphore = seen.Semaphore with { Completed = 0 };
            TxnResponse response = await etcd.TxnAsync(new TxnRequest(
                [SemaphoreUnchanged(seen)],
                [Put(keys.Config, FleetRecords.Encode(config, FleetRecords.Json.GroupConfig)), Put(keys.Semaphore, FleetRecords.Encode(semaphore, FleetRecords.Json.Semaphore))],
                []), cancel).ConfigureAwait(false);
            if (response.Succeeded) return;
        }
    }

    /// <summary>
    /// Writes <paramref name="host"/> only if its record is unchanged since <paramref name="seen"/>: of two agents
    /// given the same host id, one that read before the other wrote cannot overwrite it.
    /// </summary>
    public async Task<bool> TryPutHostAsync(HostRecord host, GroupSnapshot seen, CancellationToken cancel = default) =>
        (await etcd.TxnAsync(new TxnRequest([HostUnchanged(host.Host, seen)], [PutHost(host)], []), cancel).ConfigureAwait(false)).Succeeded;

    public async Task PutHostAsync(HostRecord host, CancellationToken cancel = default) =>
        await etcd.PutAsync(new PutRequest(Bytes(keys.Host(host.Host)), FleetRecords.Encode(host, FleetRecords.Json.HostRecord)), cancel).ConfigureAwait(false);

    /// <summary>Deletes a host's record, presence key and queue place; false when it had no record.</summary>
    public async Task<bool> ForgetAsync(string host, CancellationToken cancel = default)
    {
        TxnResponse response = await etcd.TxnAsync(new TxnRequest([], [Delete(keys.Host(host)), Delete(keys.Online(host)), Delete(keys.Queue(host))], []), cancel).ConfigureAwait(false);
        return response.Responses?[0].ResponseDeleteRange?.Deleted > 0;
    }

    /// <summary>Takes <paramref name="host"/> out of the queue (it no longer waits: outside its window, or nothing to switch).</summary>
    public async Task DequeueAsync(string host, CancellationToken cancel = default) =>
        await etcd.DeleteRangeAsync(new DeleteRangeRequest(Bytes(keys.Queue(host))), cancel).ConfigureAwait(false);

    /// <summary>
    /// The changes from revision <paramref name="from"/> on to the halt and config keys, and to the semaphore (when
    /// <paramref name="semaphore"/>) or to <paramref name="queued"/>'s queue place (its deletion only), in one watch stream.
    /// </summary>
    public IAsyncEnumerable<WatchResult> ChangesAsync(long from, bool semaphore, string? queued, CancellationToken cancel) =>
        etcd.WatchAsync(
            [
                new WatchCreateRequest(Bytes(keys.Halt), null, from),
                new WatchCreateRequest(Bytes(keys.Config), null, from),
                .. semaphore ? [new WatchCreateRequest(Bytes(keys.Semaphore), null, from)] : Array.Empty<WatchCreateRequest>(),
                .. queued is null ? Array.Empty<WatchCreateRequest>() : [new WatchCreateRequest(Bytes(keys.Queue(queued)), null, from, ["NOPUT"])],
            ], cancel);

    /// <summary>Every change to any key of the group from revision <paramref name="from"/> on, in one watch stream (<c>fleet status --watch</c>).</summary>
    public IAsyncEnumerable<WatchResult> ChangesAsync(long from, CancellationToken cancel) =>
        etcd.WatchAsync([new WatchCreateRequest(Bytes(keys.Prefix), FleetKeys.PrefixEnd(keys.Prefix), from)], cancel);

    public async Task<long> GrantAsync(long ttlSeconds, CancellationToken cancel = default) =>
        (await etcd.LeaseGrantAsync(ttlSeconds, cancel).ConfigureAwait(false)).Id;

    public Task<bool> KeepAliveAsync(long lease, CancellationToken cancel = default) => etcd.LeaseKeepAliveAsync(lease, cancel);

    /// <summary>Marks <paramref name="host"/> online for as long as lease <paramref name="lease"/> lives.</summary>
    public async Task MarkOnlineAsync(string host, long lease, CancellationToken cancel = default) =>
        await etcd.PutAsync(new PutRequest(Bytes(keys.Online(host)), Bytes("online"), lease), cancel).ConfigureAwait(false);

    private Compare SemaphoreUnchanged(GroupSnapshot seen) => seen.SemaphoreKey is { } kv
        ? new Compare(Bytes(keys.Semaphore), "EQUAL", "MOD", ModRevision: kv.ModRevision)
        : Absent(keys.Semaphore);

    /// <summary>A missing key compares as mod_revision 0, so this also says "still absent".</summary>
    private Compare HostUnchanged(string host, GroupSnapshot seen) => new(Bytes(keys.Host(host)), "EQUAL", "MOD", ModRevision: seen.HostRevision);

    private static Compare Absent(string key) => new(Bytes(key), "EQUAL", "VERSION", Version: 0);

    private RequestOp PutHost(HostRecord host) => Put(keys.Host(host.Host), FleetRecords.Encode(host, FleetRecords.Json.HostRecord));

    private static RequestOp Get(string key) => new(RequestRange: new RangeRequest(Bytes(key)));

    private static RequestOp Put(string key, byte[] value) => new(RequestPut: new PutRequest(Bytes(key), value));

    private static RequestOp Delete(string key) => new(RequestDeleteRange: new DeleteRangeRequest(Bytes(key)));

    private static KeyValue? First(RangeResponse range) => range.Kvs is [var kv, ..] ? kv : null;

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);
}
