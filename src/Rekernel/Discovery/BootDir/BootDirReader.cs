using System.Collections.Immutable;
using Microsoft.Win32.SafeHandles;
using Rekernel.Images;

namespace Rekernel.Discovery.BootDir;

/// <summary>
/// Kernels that sit in <c>/boot</c> as plain files, for machines (or kernels) no bootloader entry describes:
/// <c>vmlinuz-V</c> with <c>initrd.img-V</c> (Debian, Ubuntu) or <c>initramfs-V.img</c> (RHEL, Fedora), and
/// Arch's <c>vmlinuz-linux</c> with <c>initramfs-linux.img</c> and a separate early-microcode image, and Arch Linux
/// ARM's <c>Image</c> (or <c>Image.gz</c>) with <c>initramfs-linux.img</c>. A kernel is an x86 bzImage or an arm64
/// Image, plain, gzip or EFI zboot (<see cref="KernelIdentity"/>).
/// </summary>
public static class BootDirReader
{
    public const string BootDirectory = "/boot";

    private static readonly ImmutableArray<string> KernelPrefixes = ["vmlinuz-", "vmlinux-", "bzImage-", "kernel-", "Image-"];

    // Arch Linux ARM's linux-aarch64 installs the same kernel as Image and Image.gz; the uncompressed one is listed.
    private const string ArchArmImage = "Image";
    private const string ArchArmImageGz = "Image.gz";

    // Package-manager leftovers, signatures and checksums that share a kernel's name.
    private static readonly ImmutableArray<string> IgnoredSuffixes =
        [".old", ".bak", ".sig", ".asc", ".hmac", ".sha256", ".dpkg-old", ".dpkg-new", ".dpkg-tmp", ".dpkg-bak", ".dpkg-dist", ".rpmnew", ".rpmsave", "~"];

    /// <summary>Early microcode images, in the order Arch's documentation lists them for the boot loader.</summary>
    public static readonly ImmutableArray<string> MicrocodeImages = ["intel-ucode.img", "amd-ucode.img"];

    /// <summary>
    /// Lists the kernels in <c>/boot</c>, leaving out those whose canonical path (<see cref="BootRoot.ResolveInRoot"/>)
    /// is in <paramref name="referencedKernels"/>, that is, kernels a bootloader entry already describes.
    /// </summary>
    public static BootDirScan Read(BootRoot root, IReadOnlySet<string> referencedKernels)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(referencedKernels);
        var entries = ImmutableArray.CreateBuilder<BootEntry>();
        var diagnostics = ImmutableArray.CreateBuilder<Diagnostic>();
        IReadOnlyList<string> names = root.ListFiles(BootDirectory);
        // Looked up for every kernel's initrd and microcode: a list would make a thousand kernels a million compares.
        HashSet<string> present = names.ToHashSet(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        // os-release is read only once a kernel needs it: when /boot has early microcode images to place.
        var archLike = new Lazy<bool>(() => IsArchLike(root), LazyThreadSafetyMode.None);

        foreach (string name in names.Where(IsKernelName))
        {
            string path = BootRoot.Join(BootDirectory, name);
            if (root.ResolveInRoot(path) is not { } canonical || !root.FileExists(canonical)) continue;
            // A symbolic link to another kernel here (vmlinuz-lts -> vmlinuz-6.6.1) is that kernel: list it once, under its own name.
            if (canonical != path && BootRoot.Normalize(Path.GetDirectoryName(canonical) ?? "/") == BootDirectory && IsKernelName(Path.GetFileName(canonical))) continue;
            if (!seen.Add(canonical) || referencedKernels.Contains(canonical)) continue;
            if (name == ArchArmImageGz && names.Contains(ArchArmImage, StringComparer.Ordinal)) continue;

            if (EntryFor(root, name, path, present, archLike, out Diagnostic? problem) is { } entry) entries.Add(entry);
            else if (problem is { } d) diagnostics.Add(d);
        }
        return new BootDirScan(entries.ToImmutable(), diagnostics.ToImmutable());
    }

    private static BootEntry? EntryFor(BootRoot root, string name, string path, IReadOnlySet<string> names, Lazy<bool> archLike, out Diagnostic? problem)
    {
        problem = null;
        // Arch Linux ARM's Image belongs to the package "linux", as Arch's vmlinuz-linux does.
        string suffix = name is ArchArmImage or ArchArmImageGz ? "linux" : name[(name.IndexOf('-') + 1)..];
        string? named = KernelRelease.FromFileName(name);
        KernelIdentity kernel;
        using (SafeFileHandle? file = root.OpenRegular(path, out long size))
            kernel = file is null ? KernelIdentity.NotRegular : KernelIdentity.Read(file, size, withRelease: named is null);
        if (kernel.Problem is { } skipped)
        {
            problem = new Diagnostic(path, 0, $"skipped: {skipped}");
            return null;
        }

        bool rescue = suffix.StartsWith("0-rescue-", StringComparison.Ordinal);
        string? version = named ?? kernel.Release;

        var initrds = ImmutableArray.CreateBuilder<string>();
        if (names.Overlaps(MicrocodeImages) && (suffix.StartsWith("linux", StringComparison.Ordinal) || archLike.Value)) initrds.AddRange(Microcode(names));
        if (Initrd(root, suffix, names) is { } initrd) initrds.Add(initrd);

        return new BootEntry
        {
            Id = "bootdir-" + name,
            Title = Title(version, rescue),
            Version = version,
            Kernel = path,
            Initrds = initrds.ToImmutable(),
            Cmdline = null,
            Source = BootEntrySource.BootDir,
            Origin = path,
        };
    }

    private static string Title(string? version, bool rescue) => (version, rescue) switch
    {
        (null, true) => "Linux rescue",
        (_, true) => $"Linux {version} (rescue)",
        (null, false) => "Linux",
        _ => $"Linux {version}",
    };

    /// <summary>The initrd that belongs to a kernel named <c>vmlinuz-S</c>, by each distribution's naming.</summary>
    private static string? Initrd(BootRoot root, string suffix, IReadOnlySet<string> names)
    {
        string[] candidates = [$"initrd.img-{suffix}", $"initramfs-{suffix}.img", $"initrd-{suffix}.img", $"initrd-{suffix}"];
        foreach (string candidate in candidates)
        {
            string path = BootRoot.Join(BootDirectory, candidate);
            if (names.Contains(candidate) && root.FileExists(path)) return path;
        }
        return null;
    }

    private static IEnumerable<string> Microcode(IReadOnlySet<string> names) =>
        MicrocodeImages.Where(names.Contains).Select(m => BootRoot.Join(BootDirectory, m));

    // Arch and its derivatives (Manjaro names kernels vmlinuz-6.6-x86_64) ship microcode as a separate initrd
    // that the boot loader must load first; other distributions put it inside the main initramfs.
    private static bool IsArchLike(BootRoot root)
    {
        string? text = root.ReadText("/etc/os-release") ?? root.ReadText("/usr/lib/os-release");
        if (text is null) return false;
        var osrel = Uki.OsRelease.Parse(text);
        return osrel["ID"] == "arch" || (osrel["ID_LIKE"]?.Split(' ').Contains("arch") ?? false);
    }

    private static bool IsKernelName(string name)
    {
        if (name is ArchArmImage or ArchArmImageGz) return true;
        string? prefix = KernelPrefixes.FirstOrDefault(p => name.StartsWith(p, StringComparison.Ordinal));
        if (prefix is null || name.Length == prefix.Length) return false;
        return !IgnoredSuffixes.Any(s => name.EndsWith(s, StringComparison.Ordinal));
    }
}
