using System.Collections.Immutable;
using System.Text;
using System.Text.Json;

namespace Rekernel.Tests.Fleet;

/// <summary>A three-member etcd cluster on loopback ports, each member an <see cref="EtcdServer"/>.</summary>
public sealed class EtcdCluster : IDisposable
{
    public EtcdCluster()
    {
        (string Name, int Client, int Peer)[] members = [.. Enumerable.Range(1, 3).Select(i => ($"m{i}", EtcdServer.FreePort(), EtcdServer.FreePort()))];
        string initial = string.Join(',', members.Select(m => $"{m.Name}={EtcdServer.PeerUrl(m.Peer)}"));
        Members = [.. members.Select(m => new EtcdServer(m.Name, m.Client, m.Peer, initial, ["--initial-cluster-state", "new"]))];
        foreach (EtcdServer member in Members) member.Launch();
        foreach (EtcdServer member in Members) member.WaitUntilServing();
    }

    public ImmutableArray<EtcdServer> Members { get; }

    public ImmutableArray<Uri> Endpoints => [.. Members.Select(m => m.Endpoint)];

    /// <summary>The member that leads now, as the members themselves report it (the gateway's <c>/v3/maintenance/status</c>).</summary>
    public async Task<EtcdServer> LeaderAsync()
    {
        using var http = new HttpClient();
        foreach (EtcdServer member in Members)
        {
            try
            {
                using var response = await http.PostAsync(new Uri(member.Endpoint, "/v3/maintenance/status"), new StringContent("{}", Encoding.UTF8, "application/json"));
                using var status = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                if (status.RootElement.TryGetProperty("leader", out var leader) && leader.GetString() == status.RootElement.GetProperty("header").GetProperty("member_id").GetString())
                    return member;
            }
            catch (HttpRequestException) { }
        }
        throw new InvalidOperationException("no member of the cluster says it leads");
    }

    public void Dispose()
    {
        foreach (EtcdServer member in Members) member.Dispose();
    }
}
