using System.Collections.Immutable;
using Rekernel.Discovery.Bls;
using Rekernel.Discovery.BootDir;
using Rekernel.Discovery.Grub;
using Rekernel.Discovery.Uki;
using Rekernel.Images;
using Rekernel.Versions;

namespace Rekernel.Discovery;

/// <summary>
/// Reads every boot layout under a root and decides the default as the active bootloader would: GRUB when a
/// grub.cfg exists (its <c>blscfg</c> pulls in the BLS entries), else systemd-boot when there are BLS entries,
/// UKIs or a loader.conf, else none. Kernels in /boot that no entry references are added last.
/// </summary>
public static class BootDiscovery
{
    public static BootInventory Discover(BootRoot root)
    {
        var diagnostics = new List<Diagnostic>();
        GrubEnv env = GrubEnv.Load(root);
        BlsScan bls = BlsReader.Read(root, env);
        UkiScan ukis = UkiReader.Read(root);
        diagnostics.AddRange(bls.Diagnostics);
        diagnostics.AddRange(ukis.Diagnostics);

        (ImmutableArray<BootEntry> menu, BootEntry? defaultEntry, string bootloader) =
            GrubReader.Read(root, env, bls.Entries) is { } grub
                ? FromGrub(grub, ukis, diagnostics)
                : FromSystemdBoot(root, bls, ukis, diagnostics);

        BootDirScan plain = BootDirReader.Read(root, ReferencedKernels(root, menu));
        diagnostics.AddRange(plain.Diagnostics);

        ImmutableArray<BootEntry> entries = NewestFirst([.. menu.AddRange(plain.Entries).Select(e => WithVersion(root, e))], VersionSchemeDetector.Detect(root));
        defaultEntry = bootloader == "none" ? PlainDefault(root, entries) : SameEntry(entries, defaultEntry);
        return new BootInventory(entries, defaultEntry, bootloader, [.. diagnostics]);
    }

    private static (ImmutableArray<BootEntry>, BootEntry?, string) FromGrub(GrubMenu grub, UkiScan ukis, List<Diagnostic> diagnostics)
    {
        diagnostics.AddRange(grub.Diagnostics);
        // GRUB does not show UKIs, but firmware or another loader can start them, so they are still listed.
        return (grub.Entries.AddRange(ukis.Entries), grub.DefaultEntry, "grub");
    }

    private static (ImmutableArray<BootEntry>, BootEntry?, string) FromSystemdBoot(BootRoot root, BlsScan bls, UkiScan ukis, List<Diagnostic> diagnostics)
    {
        ImmutableArray<BootEntry> sorted = SystemdBootOrder.Sort(bls.Entries.Concat(ukis.Entries));
        bool hasLoader = !sorted.IsEmpty || LoaderConfig.Load(root, diagnostics).Path is not null;
        if (!hasLoader) return ([], null, "none");
        return (sorted, SystemdBootDefault.Select(sorted, root, diagnostics)?.Entry, "systemd-boot");
    }

    /// <summary>
    /// An entry whose configuration names no version (Arch's <c>vmlinuz-linux</c>) gets the release from its
    /// kernel's bzImage header, so it can be ordered, matched against <c>uname -r</c> and targeted by version.
    /// </summary>
    private static BootEntry WithVersion(BootRoot root, BootEntry entry)
    {
        if (entry.Version is not null || entry.Source == BootEntrySource.Uki || root.Resolve(entry.Kernel) is not { } host) return entry;
        return BzImageHeader.ReadFile(host).Header?.Release is { } release ? entry with { Version = release } : entry;
    }

    // The default as it appears in the final list (versions may have been filled in since it was chosen).
    private static BootEntry? SameEntry(ImmutableArray<BootEntry> entries, BootEntry? chosen) =>
        chosen is null ? null : entries.FirstOrDefault(e => e.Id == chosen.Id && e.Kernel == chosen.Kernel);

    private static HashSet<string> ReferencedKernels(BootRoot root, IEnumerable<BootEntry> entries) =>
        entries.Select(e => root.ResolveInRoot(e.Kernel)).OfType<string>().ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// Without a bootloader configuration, the kernel the <c>/vmlinuz</c> (or <c>/boot/vmlinuz</c>) symlink names is the
    /// one a direct-boot setup starts (Debian maintains it); without that link, the newest kernel, which is what a
    /// package manager just installed and what an operator means by "the new kernel".
    /// </summary>
    private static BootEntry? PlainDefault(BootRoot root, ImmutableArray<BootEntry> newestFirst)
    {
        foreach (string link in new[] { "/vmlinuz", "/boot/vmlinuz" })
        {
            if (root.ResolveInRoot(link) is not { } target) continue;
            if (newestFirst.FirstOrDefault(e => root.ResolveInRoot(e.Kernel) == target) is { } entry) return entry;
        }
        return newestFirst.IsEmpty ? null : newestFirst[0];
    }

    /// <summary>Newest kernel first by the machine's packaging rules; entries of one kernel keep their menu order.</summary>
    private static ImmutableArray<BootEntry> NewestFirst(ImmutableArray<BootEntry> entries, VersionScheme scheme)
    {
        VersionComparer versions = VersionComparer.For(scheme);
        return [.. entries.OrderByDescending(e => e.Version, versions)];
    }
}
