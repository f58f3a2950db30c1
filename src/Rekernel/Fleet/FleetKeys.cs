using System.Text;

namespace Rekernel.Fleet;

/// <summary>
/// Where a group lives in etcd: <c>/rekernel/v1/groups/GROUP/</c> with <c>config</c>, <c>halt</c>,
/// <c>semaphore</c>, <c>hosts/HOST</c>, <c>online/HOST</c> (the lease-bound presence key) and <c>queue/HOST</c>
/// (a host waiting for or holding a slot; the keys' create revisions order the queue). Group names and
/// host ids are checked so that no name can reach another group's keys.
/// </summary>
public sealed class FleetKeys
{
    public const string Root = "/rekernel/v1/groups/";

    public FleetKeys(string group)
    {
        CheckName(group, "group name", "--group, or group in rekernel.conf's [fleet]");
        Group = group;
    }

    public string Group { get; }
    public string Prefix => $"{Root}{Group}/";
    public string Config => Prefix + "config";
    public string Halt => Prefix + "halt";
    public string Semaphore => Prefix + "semaphore";
    public string HostsPrefix => Prefix + "hosts/";
    public string OnlinePrefix => Prefix + "online/";
    public string QueuePrefix => Prefix + "queue/";
    public string Host(string host) => HostsPrefix + CheckHost(host);
    public string Queue(string host) => QueuePrefix + CheckHost(host);
    public string Online(string host) => OnlinePrefix + CheckHost(host);

    /// <summary><paramref name="host"/> when it is a valid host id (a machine id, a host name); else a usage error.</summary>
    public static string CheckHost(string host)
    {
        CheckName(host, "host id", "--host-id, or host_id in rekernel.conf's [fleet]");
        return host;
    }

    /// <summary>The key just after every key that starts with <paramref name="prefix"/>: etcd's <c>range_end</c> for a prefix.</summary>
    public static byte[] PrefixEnd(string prefix)
    {
        byte[] end = Encoding.UTF8.GetBytes(prefix);
        end[^1]++;
        return end;
    }

    /// <summary>1–63 of a-z, A-Z, 0-9, '.', '_' and '-', starting with a letter or digit: safe in a key and in a shell.</summary>
    private static void CheckName(string name, string what, string where)
    {
        bool valid = name.Length is > 0 and <= 63 && char.IsAsciiLetterOrDigit(name[0])
            && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');
        if (!valid)
            ThrowHelper.Usage($"'{name}' is not a valid {what}: use 1 to 63 letters, digits, '.', '_' or '-', starting with a letter or digit ({where}).");
    }
}
