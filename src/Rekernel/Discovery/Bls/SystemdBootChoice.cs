namespace Rekernel.Discovery.Bls;

/// <summary>The entry systemd-boot boots by default, and why.</summary>
/// <param name="Pattern">The id or glob that matched; null for <see cref="SystemdBootDefaultSource.FirstEntry"/>.</param>
public sealed record SystemdBootChoice(BootEntry Entry, SystemdBootDefaultSource Source, string? Pattern);
