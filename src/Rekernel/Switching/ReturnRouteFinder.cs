using System.Text.RegularExpressions;
using Rekernel.Discovery;
using Rekernel.Discovery.Bls;
using Rekernel.Discovery.Grub;
using Rekernel.Journal;
using Rekernel.Machine;
using Rekernel.Planning;

namespace Rekernel.Switching;

/// <summary>
/// Finds how the next firmware boot can be made to start the running kernel once: the GRUB menu entry (or the
/// systemd-boot entry) that boots it, and whether the bootloader reads a one-shot choice at all. Pure: it reads
/// the machine's boot configuration and changes nothing.
/// </summary>
public static partial class ReturnRouteFinder
{
    public const string OneShotVariable = "LoaderEntryOneShot";

    /// <param name="files">The running machine's files (its /boot, /sys/firmware/efi/efivars).</param>
    /// <param name="inventory">The boot entries discovered in <paramref name="files"/>.</param>
    public static ReturnRoute Find(BootRoot files, BootInventory inventory, RunningSystem machine)
    {
        if (machine.Release is not { } release) return ReturnRoute.None("the running kernel's release is unknown, so no boot entry can be matched to it");
        return inventory.Bootloader switch
        {
            Bootloader.Grub when inventory.Grub is { } menu => Grub(files, menu, release, BootImage(machine.Cmdline)),
            Bootloader.SystemdBoot => SystemdBoot(files, inventory, release),
            _ => ReturnRoute.None("no bootloader configuration was found (direct kernel boot?), so a firmware reboot starts whatever the firmware or hypervisor is set to boot"),
        };
    }

    private static ReturnRoute Grub(BootRoot files, GrubMenu menu, string release, string? bootImage)
    {
        if (Running(menu.Items, release, bootImage, "") is not { } found)
            return ReturnRoute.None($"the running kernel {release} is not in GRUB's menu ({menu.ConfigPath}), so a firmware reboot cannot be sent back to it");
        // The value must lead GRUB back to the same entry, exactly as grub-reboot's value would.
        if (GrubDefaultSelector.Select(menu.Items, found.Value) is not { FellBack: false, Item.Entry: { } chosen } || chosen != found.Entry)
            return ReturnRoute.None($"GRUB's menu entry for {release} cannot be named unambiguously (tried '{found.Value}'), so next_entry cannot point at it");
        if (!HonoursNextEntry(files.ReadText(menu.ConfigPath)))
            return ReturnRoute.None($"{menu.ConfigPath} never reads next_entry (no set default=\"${{next_entry}}\"), so GRUB would ignore a one-shot entry; regenerate it with grub-mkconfig");
        string directory = menu.ConfigPath[..menu.ConfigPath.LastIndexOf('/')];
        return ReturnRoute.To(new ReturnPath(ReturnMechanism.GrubNextEntry, found.Value, directory + "/grubenv"));
    }

    /// <summary>The first menu item in menu order that boots the running kernel, and its grub-reboot value (<c>submenu&gt;entry</c>, ids where GRUB has them).</summary>
    private static (string Value, BootEntry Entry)? Running(IEnumerable<GrubMenuItem> items, string release, string? bootImage, string prefix)
    {
        foreach (GrubMenuItem item in items)
        {
            string value = prefix + (item.Id ?? item.Title.Replace(">", ">>", StringComparison.Ordinal));
            if (item.Entry is { LoadProblem: null } entry && entry.Version == release && BootsImage(entry, bootImage)) return (value, entry);
            if (item.IsSubmenu && Running(item.Children, release, bootImage, value + ">") is { } inner) return inner;
        }
        return null;
    }

    /// <summary>Whether the entry's kernel is the file GRUB booted (BOOT_IMAGE=, device prefix stripped; relative to a separate /boot or not).</summary>
    private static bool BootsImage(BootEntry entry, string? bootImage)
    {
        if (bootImage is null) return true;
        string path = GrubPaths.WithoutDevice(bootImage);
        return entry.Kernel == path || entry.Kernel == "/boot" + path;
    }

    private static string? BootImage(string? cmdline) =>
        cmdline is null ? null : KernelArgs.Split(cmdline).FirstOrDefault(a => a.StartsWith("BOOT_IMAGE=", StringComparison.Ordinal))?["BOOT_IMAGE=".Length..];

    /// <summary>Debian's and Fedora's 00_header: <c>if [ "${next_entry}" ] ; then set default="${next_entry}"</c>.</summary>
    private static bool HonoursNextEntry(string? config) => config is not null && NextEntryDefault().IsMatch(config);

    [GeneratedRegex("""^\s*set\s+default=["']?\$\{?next_entry\}?["']?\s*$""", RegexOptions.Multiline)]
    private static partial Regex NextEntryDefault();

    private static ReturnRoute SystemdBoot(BootRoot files, BootInventory inventory, string release)
    {
        if (!files.DirectoryExists(LoaderEfiVariables.EfivarsDirectory))
            return ReturnRoute.None($"the machine was not booted through UEFI (no efivarfs at {LoaderEfiVariables.EfivarsDirectory}), so systemd-boot's {OneShotVariable} cannot be set");
        if (LoaderEfiVariables.ReadString(files, "LoaderInfo") is not { } loader || !loader.StartsWith("systemd-boot", StringComparison.Ordinal))
            return ReturnRoute.None($"the machine was not started by systemd-boot (no LoaderInfo EFI variable naming it), so nothing would read {OneShotVariable}");
        BootEntry[] candidates = [.. inventory.Entries.Where(e => e.Source is BootEntrySource.Bls or BootEntrySource.Uki && e.LoadProblem is null && e.Version == release)];
        // systemd-boot says which entry it booted; that one, when it boots the running kernel, is the way back.
        string? selected = LoaderEfiVariables.ReadString(files, "LoaderEntrySelected");
        BootEntry? entry = candidates.FirstOrDefault(e => string.Equals(SystemdBootOrder.LoaderId(e), selected, StringComparison.OrdinalIgnoreCase)) ?? candidates.FirstOrDefault();
        if (entry is null)
            return ReturnRoute.None($"the running kernel {release} has no systemd-boot entry, so a firmware reboot cannot be sent back to it");
        return ReturnRoute.To(new ReturnPath(ReturnMechanism.SystemdBootOneShot, SystemdBootOrder.LoaderId(entry),
            $"{LoaderEfiVariables.EfivarsDirectory}/{OneShotVariable}-{LoaderEfiVariables.VendorGuid}"));
    }
}
