namespace Rekernel.Discovery.Grub;

/// <summary>
/// Maps paths as GRUB sees them to paths inside the <see cref="BootRoot"/>. GRUB paths are relative to the
/// partition <c>root</c> points at, and the device (<c>(hd0,msdos1)</c>, <c>($root)</c>) cannot be resolved
/// offline; when <c>/boot</c> is its own partition <c>/vmlinuz-X</c> is really <c>/boot/vmlinuz-X</c>.
/// </summary>
internal static class GrubPaths
{
    public static string WithoutDevice(string grubPath)
    {
        if (grubPath.StartsWith('(') && grubPath.IndexOf(')') is int close and > 0) grubPath = grubPath[(close + 1)..];
        return BootRoot.Normalize(grubPath);
    }

    /// <summary>The path that exists, preferring the literal one; when neither exists, the /boot one if the config lives under /boot.</summary>
    public static string InRoot(BootRoot root, string grubPath, string configPath)
    {
        string path = WithoutDevice(grubPath);
        if (path == "/boot" || path.StartsWith("/boot/", StringComparison.Ordinal) || root.FileExists(path)) return path;
        string underBoot = "/boot" + path;
        if (root.FileExists(underBoot)) return underBoot;
        return configPath.StartsWith("/boot/", StringComparison.Ordinal) ? underBoot : path;
    }

    /// <summary>Where the file exists inside the root (directories included), or null.</summary>
    public static string? Existing(BootRoot root, string grubPath)
    {
        string path = WithoutDevice(grubPath);
        if (root.Exists(path)) return path;
        string underBoot = "/boot" + path;
        return root.Exists(underBoot) ? underBoot : null;
    }
}
