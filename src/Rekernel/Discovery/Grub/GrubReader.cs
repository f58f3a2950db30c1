using System.Collections.Immutable;
using Rekernel.Discovery.Bls;

namespace Rekernel.Discovery.Grub;

/// <summary>Finds GRUB 2's configuration in a root, runs it the way GRUB would, and returns its menu.</summary>
public static class GrubReader
{
    private static readonly ImmutableArray<string> BiosLocations = ["/boot/grub/grub.cfg", "/boot/grub2/grub.cfg"];

    /// <summary>
    /// The menu, or null when the root holds no GRUB configuration. <paramref name="bls"/> holds the
    /// Boot Loader Specification entries a <c>blscfg</c> command would import (Fedora, RHEL 8 and later).
    /// </summary>
    public static GrubMenu? Read(BootRoot root, GrubEnv env, BlsScan bls)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(bls);
        if (ConfigPath(root) is not { } path) return null;
        var diagnostics = new List<Diagnostic>();
        GrubInterpreter run = GrubInterpreter.Run(root, env, bls, path, FlavorOf(root, path), diagnostics);
        ImmutableArray<GrubMenuItem> items = run.Menu;
        string? spec = run.Variable("default");
        GrubDefault choice = GrubDefaultSelector.Select(items, spec);
        if (choice.FellBack && !string.IsNullOrEmpty(spec))
        {
            diagnostics.Add(new Diagnostic(run.MenuFile, 0, $"default '{spec}' names no menu entry; GRUB boots the first one"));
        }
        return new GrubMenu
        {
            ConfigPath = run.MenuFile,
            Items = items,
            Entries = [.. Flatten(items)],
            DefaultEntry = choice.Item?.Entry,
            NextEntry = env[GrubEnv.NextEntry] is { Length: > 0 } next ? next : null,
            Diagnostics = [.. diagnostics],
        };
    }

    /// <summary>
    /// Where GRUB reads its configuration. On a machine booted through UEFI the copy on the EFI system partition
    /// comes first (it is often a stub that loads the /boot one, which is then followed).
    /// </summary>
    public static string? ConfigPath(BootRoot root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var efi = root.ListFiles("/boot/efi/EFI")
            .Where(vendor => !vendor.Equals("BOOT", StringComparison.OrdinalIgnoreCase))
            .Select(vendor => $"/boot/efi/EFI/{vendor}/grub.cfg");
        bool bootedEfi = root.DirectoryExists("/sys/firmware/efi");
        var candidates = bootedEfi ? efi.Concat(BiosLocations) : BiosLocations.Concat(efi);
        return candidates.FirstOrDefault(root.FileExists);
    }

    /// <summary>
    /// The GRUB the tree's distribution ships: Red Hat's for Fedora, RHEL and their rebuilds (os-release <c>ID</c> or
    /// <c>ID_LIKE</c> naming fedora or rhel); without an os-release, Red Hat's when the configuration sits where only
    /// those distributions put it (<c>/boot/grub2</c>, <c>EFI/fedora</c>, <c>EFI/redhat</c>, <c>EFI/centos</c>...).
    /// </summary>
    public static GrubFlavor FlavorOf(BootRoot root, string configPath)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(configPath);
        if ((root.ReadText("/etc/os-release") ?? root.ReadText("/usr/lib/os-release")) is { } text)
        {
            var osrel = Uki.OsRelease.Parse(text);
            string[] family = [osrel["ID"] ?? "", .. (osrel["ID_LIKE"] ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries)];
            return family.Any(id => id is "fedora" or "rhel") ? GrubFlavor.RedHat : GrubFlavor.Upstream;
        }
        string[] redHatPlaces = ["/boot/grub2/", "/boot/efi/EFI/fedora/", "/boot/efi/EFI/redhat/", "/boot/efi/EFI/centos/", "/boot/efi/EFI/rocky/", "/boot/efi/EFI/almalinux/"];
        return redHatPlaces.Any(p => configPath.StartsWith(p, StringComparison.Ordinal)) ? GrubFlavor.RedHat : GrubFlavor.Upstream;
    }

    private static IEnumerable<BootEntry> Flatten(IEnumerable<GrubMenuItem> items)
    {
        foreach (GrubMenuItem item in items)
        {
            if (item.Entry is { } entry) yield return entry;
            foreach (BootEntry child in Flatten(item.Children)) yield return child;
        }
    }
}
