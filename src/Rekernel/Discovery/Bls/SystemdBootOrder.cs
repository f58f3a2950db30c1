using System.Collections.Immutable;
using Rekernel.Versions;

namespace Rekernel.Discovery.Bls;

/// <summary>
/// The menu order of systemd-boot (<c>boot_entry_compare</c> in src/boot/boot.c, mirrored by bootctl's
/// src/shared/bootspec.c): type #1 entries and type #2 UKIs are sorted together by the same rules.
/// </summary>
public static class SystemdBootOrder
{
    /// <summary>
    /// Negative when <paramref name="a"/> is listed before <paramref name="b"/>: entries with no boot tries left
    /// last; entries with a sort-key before those without; then sort-key (ordinal), machine-id (ordinal, missing
    /// first), version (newest first); then the loader id (newest first); then more tries left, fewer tries done.
    /// </summary>
    public static int Compare(BootEntry a, BootEntry b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);

        int r = (a.TriesLeft == 0).CompareTo(b.TriesLeft == 0);
        if (r != 0) return r;

        r = (a.SortKey is null).CompareTo(b.SortKey is null);
        if (r != 0) return r;

        if (a.SortKey is not null && b.SortKey is not null)
        {
            r = Math.Sign(string.CompareOrdinal(a.SortKey, b.SortKey));
            if (r != 0) return r;
            r = Math.Sign(string.CompareOrdinal(a.MachineId, b.MachineId));
            if (r != 0) return r;
            r = -StrVerScmp.Compare(a.Version, b.Version);
            if (r != 0) return r;
        }

        r = -StrVerScmp.Compare(LoaderId(a), LoaderId(b));
        if (r != 0) return r;

        if (a.TriesLeft is not { } aLeft || b.TriesLeft is not { } bLeft) return 0;
        r = -aLeft.CompareTo(bLeft);
        if (r != 0) return r;
        return (a.TriesDone ?? 0).CompareTo(b.TriesDone ?? 0);
    }

    /// <summary>The entries in menu order (stable for entries that compare equal).</summary>
    public static ImmutableArray<BootEntry> Sort(IEnumerable<BootEntry> entries) =>
        [.. entries.Order(Comparer<BootEntry>.Create(Compare))];

    /// <summary>
    /// The id systemd-boot gives an entry and matches <c>default</c> patterns and EFI variables against: the
    /// file name with the boot-counting suffix removed, <c>.conf</c> (type #1) or <c>.efi</c> (UKI) kept,
    /// lower-cased (sd-boot folds ids to lower case before sorting and matching).
    /// </summary>
    public static string LoaderId(BootEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        string suffix = entry.Source switch
        {
            BootEntrySource.Bls => ".conf",
            BootEntrySource.Uki => ".efi",
            _ => "",
        };
        string id = suffix.Length > 0 && !entry.Id.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
            ? entry.Id + suffix
            : entry.Id;
        return id.ToLowerInvariant();
    }
}
