using Rekernel.Native;

namespace Rekernel.Discovery.Bls;

/// <summary>
/// Device and inode of a file, so that a directory reached twice (a bind mount of the ESP on both /efi and
/// /boot/efi) is read once, as bootspec.c does with its inode set.
/// </summary>
internal static class FileIdentity
{
    /// <summary>"inode major:minor:ino" of a host path (links followed), or null when it cannot be determined.</summary>
    public static string? Of(string? hostPath) =>
        hostPath is not null && FileSyscalls.Stat(hostPath, out _, followLinks: true) is { } s ? Of(s) : null;

    /// <summary>"inode major:minor:ino" of a file already looked at.</summary>
    public static string Of(FileStatus s) => $"inode {s.Device.Major}:{s.Device.Minor}:{s.Inode}";

    /// <summary>The same identity as a value, for a set of a thousand files (no string for each).</summary>
    public static (uint Major, uint Minor, ulong Inode) Key(FileStatus s) => (s.Device.Major, s.Device.Minor, s.Inode);
}
