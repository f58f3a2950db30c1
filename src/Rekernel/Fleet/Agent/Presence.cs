namespace Rekernel.Fleet.Agent;

/// <summary>
/// "This agent is online": a key bound to an etcd lease, renewed every few steps. Presence only informs
/// <c>fleet status</c>; slots never depend on it, since a rebooting host stops renewing.
/// </summary>
internal sealed class Presence(FleetStore store, string host, TimeSpan poll, TimeProvider clock)
{
    private readonly TimeSpan _ttl = TimeSpan.FromSeconds(Math.Max(10, Math.Ceiling(poll.TotalSeconds * 3)));
    private long _lease;
    private DateTimeOffset _renewed = DateTimeOffset.MinValue;

    /// <summary>The lease of the presence key; 0 before the first renewal.</summary>
    public long Lease => _lease;

    public async Task RenewAsync(CancellationToken cancel)
    {
        if (clock.GetUtcNow() - _renewed < _ttl / 3) return;
        if (_lease == 0 || !await store.KeepAliveAsync(_lease, cancel).ConfigureAwait(false))
        {
            _lease = await store.GrantAsync((long)_ttl.TotalSeconds, cancel).ConfigureAwait(false);
            await store.MarkOnlineAsync(host, _lease, cancel).ConfigureAwait(false);
        }
        _renewed = clock.GetUtcNow();
    }
}
