using Rekernel.Discovery;

namespace Rekernel.Planning;

/// <summary>
/// The directory a bootloader reads an entry's files from. A bootloader can only load files from the partition
/// that holds the entry, so a path that resolves elsewhere (<c>linux ../../etc/x</c>) is a broken or hostile entry.
/// </summary>
public static class BootPartition
{
    private static readonly string[] Markers = ["/loader/entries/", "/EFI/Linux/"];

    /// <summary>The boot partition's mount point inside the root, taken from where the entry was defined; <c>/boot</c> otherwise.</summary>
    public static string Of(BootEntry entry)
    {
        string origin = entry.Source switch
        {
            BootEntrySource.Bls => entry.Origin is { } o ? StripLine(o) : "",
            BootEntrySource.Uki => entry.Kernel,
            _ => "",
        };
        foreach (string marker in Markers)
        {
            int at = origin.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0) return at == 0 ? "/" : BootRoot.Normalize(origin[..at]);
        }
        // GRUB without a separate /boot reads kernels from "/" (Debian's /vmlinuz links): the boot directory or
        // the root file system it sits on are both legitimate.
        return entry.Kernel.StartsWith("/boot/", StringComparison.Ordinal) ? "/boot" : "/";
    }

    public static bool Contains(string partition, string pathInRoot) =>
        partition == "/" || pathInRoot.StartsWith(partition.TrimEnd('/') + "/", StringComparison.Ordinal);

    private static string StripLine(string origin)
    {
        int colon = origin.LastIndexOf(':');
        return colon > 0 && origin[(colon + 1)..].All(char.IsAsciiDigit) ? origin[..colon] : origin;
    }
}
