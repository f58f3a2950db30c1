using System.Collections.Immutable;
using Rekernel.Discovery.Bls;
using Rekernel.Discovery.BootDir;
using Rekernel.Discovery.Grub;
using Rekernel.Discovery.Uki;
using Rekernel.Versions;

namespace Rekernel.Discovery;

/// <summary>
/// Reads every boot layout under a root and decides the default as the active bootloader would: GRUB when a
/// grub.cfg exists (its <c>blscfg</c> pulls in the BLS entries), else systemd-boot when there are BLS entries,
/// UKIs or a loader.conf, else none. Kernels in /boot that no entry references are added last. Three steps, as
/// in systemd's bootspec: load everything, order it once, then select the default.
/// </summary>
public static class BootDiscovery
{
    public static BootInventory Discover(BootRoot root)
    {
        ArgumentNullException.ThrowIfNull(root);
        return root.WithPathCache(() => Scan(root));
    }

    private static BootInventory Scan(BootRoot root)
    {
        var diagnostics = new List<Diagnostic>();
        GrubEnv env = GrubEnv.Load(root);
        BlsScan bls = BlsReader.Read(root, env);
        UkiScan ukis = UkiReader.Read(root);
        GrubMenu? grub = GrubReader.Read(root, env, bls);
        diagnostics.AddRange(bls.Diagnostics);
        diagnostics.AddRange(ukis.Diagnostics);
        if (grub is not null) diagnostics.AddRange(grub.Diagnostics);

        // GRUB does not show UKIs, but firmware or another loader can start them, so they are still listed.
        ImmutableArray<BootEntry> menu = grub is not null ? grub.Entries.AddRange(ukis.Entries) : SystemdBootOrder.Sort(bls.Entries.Concat(ukis.Entries));
        Bootloader bootloader = grub is not null ? Bootloader.Grub
            : !menu.IsEmpty || LoaderConfig.Load(root, diagnostics).Path is not null ? Bootloader.SystemdBoot
            : Bootloader.None;
        BootDirScan plain = BootDirReader.Read(root, ReferencedKernels(root, menu));
        diagnostics.AddRange(plain.Diagnostics);

        ImmutableArray<BootEntry> entries = NewestFirst(menu.AddRange(plain.Entries), VersionSchemeDetector.Detect(root));

        BootEntry? chosen = bootloader switch
        {
            Bootloader.Grub => grub!.DefaultEntry,
            Bootloader.SystemdBoot => SystemdBootDefault.Select(menu, root, diagnostics),
            _ => PlainDefault(root, entries),
        };
        if (chosen?.LoadProblem is { } problem)
        {
            diagnostics.Add(new Diagnostic(chosen.Origin ?? chosen.Kernel, 0, $"the bootloader's default entry '{chosen.Title}' cannot be loaded ({problem}); there is no default to switch to"));
            chosen = null;
        }
        return new BootInventory(entries, chosen, bootloader, [.. diagnostics]) { Grub = grub };
    }

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

    /// <summary>
    /// Newest kernel first by the machine's packaging rules; entries of one kernel keep their menu order (the sort is
    /// stable). Menus mostly list kernels newest first already (systemd-boot's order, grub-mkconfig's): one pass of
    /// comparisons finds that, where the sort made ten times as many on a thousand entries.
    /// </summary>
    private static ImmutableArray<BootEntry> NewestFirst(ImmutableArray<BootEntry> entries, VersionScheme scheme)
    {
        VersionComparer versions = VersionComparer.For(scheme);
        bool sorted = true;
        for (int i = 1; i < entries.Length && sorted; i++) sorted = versions.Compare(entries[i - 1].Version, entries[i].Version) >= 0;
        return sorted ? entries : [.. entries.OrderByDescending(e => e.Version, versions)];
    }
}
