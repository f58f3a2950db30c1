using System.Runtime.InteropServices;

namespace Rekernel.Discovery.Bls;

/// <summary>
/// Device and inode of a file, so that a directory reached twice (a bind mount of the ESP on both /efi and
/// /boot/efi) is read once, as bootspec.c does with its inode set. statx's buffer has the same layout on every
/// architecture, unlike stat's.
/// </summary>
internal static partial class FileIdentity
{
    private const int AtFdCwd = -100;
    private const uint StatxIno = 0x100;
    private const int StatxSize = 256;
    private const int InodeOffset = 32;
    private const int DevMajorOffset = 136;
    private const int DevMinorOffset = 140;

    /// <summary>"dev:ino" of a host path, or null when it cannot be determined.</summary>
    public static unsafe string? Of(string? hostPath)
    {
        if (hostPath is null || !OperatingSystem.IsLinux()) return null;
        byte* buf = stackalloc byte[StatxSize];
        try
        {
            if (Statx(AtFdCwd, hostPath, 0, StatxIno, buf) != 0) return null;
        }
        catch (EntryPointNotFoundException) { return null; }
        catch (DllNotFoundException) { return null; }
        ulong ino = *(ulong*)(buf + InodeOffset);
        uint major = *(uint*)(buf + DevMajorOffset);
        uint minor = *(uint*)(buf + DevMinorOffset);
        return $"inode {major}:{minor}:{ino}";
    }

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Statx(int dirfd, string path, int flags, uint mask, byte* buffer);
}
