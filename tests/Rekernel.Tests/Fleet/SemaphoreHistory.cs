using System.Text;
using Rekernel.Fleet;
using Rekernel.Fleet.Etcd;
using static Rekernel.Fleet.Etcd.EtcdWire;
using Semaphore = Rekernel.Fleet.Semaphore;

namespace Rekernel.Tests.Fleet;

/// <summary>
/// Every version a group's semaphore had, read from etcd's own history: the key as it is, then as it was at the
/// revision before each change (a range at a past revision), back to its creation. Not from the agents' logs.
/// </summary>
public static class SemaphoreHistory
{
    public static async Task<IReadOnlyList<Semaphore>> ReadAsync(EtcdClient etcd, FleetKeys keys)
    {
        var versions = new List<Semaphore>();
        byte[] key = Encoding.UTF8.GetBytes(keys.Semaphore);
        long revision = 0;
        while (true)
        {
            RangeResponse range = await etcd.RangeAsync(new RangeRequest(key, Revision: revision));
            if (range.Kvs is not [KeyValue kv]) return versions;
            versions.Add(FleetRecords.Decode(kv, FleetRecords.Json.Semaphore)!);
            if (kv.ModRevision <= 1) return versions;
            revision = kv.ModRevision - 1;
        }
    }

    /// <summary>The most holders any version listed.</summary>
    public static async Task<int> MostHoldersAsync(EtcdClient etcd, FleetKeys keys) =>
        (await ReadAsync(etcd, keys)).Max(s => s.Holders.Length);
}
