using Rekernel.Discovery;

namespace Rekernel.Planning;

/// <summary>Chooses the boot entry to stage from an inventory; pure.</summary>
public static class TargetSelector
{
    public static BootEntry Select(BootInventory inventory, TargetRequest request)
    {
        if (inventory.Entries.IsEmpty) throw new RekernelException(ExitCode.NotFound, new Finding("no bootable kernels were found", Remedy.PointAtRoot));
        if (request.Latest)
        {
            return inventory.Newest
                ?? throw new RekernelException(ExitCode.NotFound, $"the bootloader can load none of the entries; fix them (see the warnings above) or name a kernel path (entries: {Listing(inventory.Entries)}).");
        }
        if (request.Target is null)
        {
            return inventory.Default
                ?? throw new RekernelException(ExitCode.NotFound, new Finding($"the bootloader names no default entry (entries: {Listing(inventory.Entries)})", Remedy.NameTarget));
        }
        BootEntry entry = ByTarget(inventory, request.Target);
        if (entry.LoadProblem is { } problem)
            ThrowHelper.Refuse($"the boot entry '{entry.Title}' cannot be loaded by the bootloader: {problem}; fix the entry or choose another.");
        return entry;
    }

    private static BootEntry ByTarget(BootInventory inventory, string target)
    {
        // Ids and titles are unique names; kernel paths and versions may be shared by several entries.
        foreach (Func<BootEntry, bool> matches in Matchers(target))
        {
            List<BootEntry> found = inventory.Entries.Where(matches).ToList();
            if (found.Count == 0) continue;
            return found.Count == 1 ? found[0] : OneOf(found, inventory.Default, target);
        }
        throw new RekernelException(ExitCode.NotFound, $"no boot entry matches '{target}'; give a version, entry id, title or kernel path (entries: {Listing(inventory.Entries)}).");
    }

    private static IEnumerable<Func<BootEntry, bool>> Matchers(string target)
    {
        yield return e => e.Id == target;
        yield return e => e.Title == target;
        if (target.StartsWith('/')) yield return e => BootRoot.Normalize(e.Kernel) == BootRoot.Normalize(target);
        yield return e => e.Version == target;
    }

    // Debian's GRUB menu carries a "(recovery mode)" twin of every kernel; asking for a version means the normal one.
    private static BootEntry OneOf(List<BootEntry> found, BootEntry? defaultEntry, string target)
    {
        if (defaultEntry is not null && found.Contains(defaultEntry)) return defaultEntry;
        List<BootEntry> normal = found.Where(e => !e.Title.Contains("recovery mode", StringComparison.OrdinalIgnoreCase)).ToList();
        if (normal.Count == 1) return normal[0];
        throw new RekernelException(ExitCode.NotFound, $"'{target}' matches {found.Count} boot entries; name one by its id ({Listing(found)}).");
    }

    private static string Listing(IEnumerable<BootEntry> entries) =>
        string.Join(", ", entries.Select(e => e.Version is null ? $"{e.Id} \"{e.Title}\"" : $"{e.Id} ({e.Version})"));
}
