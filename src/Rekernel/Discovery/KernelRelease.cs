using Rekernel.Images;

namespace Rekernel.Discovery;

/// <summary>
/// The kernel release (<c>uname -r</c>) a boot entry starts, for every layout: from the kernel's (or an
/// initrd's) file name when the name carries one, else from the bzImage header's version banner.
/// </summary>
public static class KernelRelease
{
    // Kernel names (vmlinuz-V, Debian and RHEL; bzImage-V, kernel-V, Gentoo; Image-V, arm64) and initrd names.
    private static readonly string[] Prefixes = ["vmlinuz-", "vmlinux-", "bzImage-", "kernel-", "Image-", "initrd.img-", "initramfs-", "initrd-"];

    /// <summary>
    /// The release in a kernel or initrd file name (<c>vmlinuz-6.1.0-53-amd64</c>,
    /// <c>initramfs-6.5.6-300.fc39.x86_64.img</c>), or null when the name carries none: Arch names kernels after
    /// their package (<c>vmlinuz-linux-lts</c>), Manjaro after the series (<c>vmlinuz-6.6-x86_64</c>), and a rescue
    /// image after the machine id (<c>vmlinuz-0-rescue-ID</c>). A release starts as the kernel's Makefile writes it,
    /// VERSION.PATCHLEVEL.SUBLEVEL (<c>6.6.0</c> for the 6.6 release), so a name that does not is no release.
    /// </summary>
    public static string? FromFileName(string pathOrName)
    {
        ArgumentNullException.ThrowIfNull(pathOrName);
        string name = pathOrName[(pathOrName.LastIndexOf('/') + 1)..];
        foreach (string prefix in Prefixes)
        {
            if (!name.StartsWith(prefix, StringComparison.Ordinal)) continue;
            string rest = name[prefix.Length..];
            if (rest.EndsWith(".img", StringComparison.Ordinal)) rest = rest[..^4];
            return StartsWithThreeNumbers(rest) ? rest : null;
        }
        return null;
    }

    private static bool StartsWithThreeNumbers(string s)
    {
        int i = 0;
        for (int part = 0; part < 3; part++)
        {
            if (part > 0 && (i >= s.Length || s[i++] != '.')) return false;
            int start = i;
            while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
            if (i == start) return false;
        }
        return true;
    }

    /// <summary>
    /// The release of the kernel at <paramref name="kernelPath"/> inside the root: its file name's, else the version
    /// banner of its bzImage or arm64 Image (decompressed when gzip or EFI zboot); null when neither tells.
    /// </summary>
    public static string? Of(BootRoot root, string kernelPath)
    {
        ArgumentNullException.ThrowIfNull(root);
        return FromFileName(kernelPath) ?? (root.Resolve(kernelPath) is { } host ? KernelIdentity.Read(host, withRelease: true).Release : null);
    }
}
