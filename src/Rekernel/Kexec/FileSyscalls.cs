using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Rekernel.Kexec;

/// <summary>
/// <c>open(2)</c> with <c>O_NOFOLLOW</c> and <c>statx(2)</c>: .NET exposes neither the flag nor a file's owner.
/// statx is used rather than fstat because its structure is the same on every architecture.
/// </summary>
internal static partial class FileSyscalls
{
    public const int O_RDONLY = 0;
    public const int O_NOFOLLOW_x64 = 0x20000;
    public const int O_NOFOLLOW_arm64 = 0x8000;
    public const int O_CLOEXEC = 0x80000;
    /// <summary>Same value on x86-64 and arm64. Opening a FIFO without it blocks until a writer appears.</summary>
    public const int O_NONBLOCK = 0x800;
    public const int AT_FDCWD = -100;
    public const int AT_EMPTY_PATH = 0x1000;
    public const int AT_SYMLINK_NOFOLLOW = 0x100;
    public const uint STATX_BASIC_STATS = 0x7ff;
    public const int StatxSize = 256;
    public const int StatxUidOffset = 20;
    public const int StatxModeOffset = 28;
    public const int StatxSizeOffset = 40;
    public const int StatxMtimeOffset = 0x70;

    public static int O_NOFOLLOW => RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? O_NOFOLLOW_arm64 : O_NOFOLLOW_x64;

    /// <summary>
    /// Opens a host path read-only without following a final symbolic link and without blocking (a FIFO put
    /// where a file should be would otherwise hang the open until someone writes to it); the errno on failure.
    /// </summary>
    public static SafeFileHandle? OpenNoFollow(string hostPath, out int errno)
    {
        int fd = Open(hostPath, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK, 0);
        errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
        return fd < 0 ? null : new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>
    /// A regular file opened for reading, or null for anything else (missing, a FIFO, a device, a directory, a
    /// final symbolic link). The type is checked before the open, so a device node is never opened (opening
    /// some, like a watchdog, has effects), and again on the descriptor.
    /// </summary>
    public static SafeFileHandle? OpenRegular(string hostPath)
    {
        if (Stat(hostPath, out _) is not { IsRegularFile: true }) return null;
        if (OpenNoFollow(hostPath, out _) is not { } handle) return null;
        if (Stat(handle, out _) is { IsRegularFile: true }) return handle;
        handle.Dispose();
        return null;
    }

    /// <summary><see cref="OpenRegular"/> as a stream; null when the path is not a readable regular file.</summary>
    public static FileStream? OpenRegularStream(string hostPath) =>
        OpenRegular(hostPath) is { } handle ? new FileStream(handle, FileAccess.Read, 1) : null;

    /// <summary>The status of an open file, or null with the errno.</summary>
    public static FileStatus? Stat(SafeFileHandle handle, out int errno)
    {
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            return StatAt((int)handle.DangerousGetHandle(), "", AT_EMPTY_PATH, out errno);
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    /// <summary>The status of a host path itself (a link is not followed), or null with the errno.</summary>
    public static FileStatus? Stat(string hostPath, out int errno) => StatAt(AT_FDCWD, hostPath, AT_SYMLINK_NOFOLLOW, out errno);

    private static unsafe FileStatus? StatAt(int dirFd, string path, int flags, out int errno)
    {
        byte* buffer = stackalloc byte[StatxSize];
        if (Statx(dirFd, path, flags, STATX_BASIC_STATS, buffer) != 0)
        {
            errno = Marshal.GetLastPInvokeError();
            return null;
        }
        errno = 0;
        var span = new ReadOnlySpan<byte>(buffer, StatxSize);
        return new FileStatus(
            BinaryPrimitives.ReadUInt32LittleEndian(span[StatxUidOffset..]),
            BinaryPrimitives.ReadUInt16LittleEndian(span[StatxModeOffset..]),
            (long)BinaryPrimitives.ReadUInt64LittleEndian(span[StatxSizeOffset..]))
        {
            // struct statx_timestamp: tv_sec (s64), tv_nsec (u32).
            ModifiedTime = (BinaryPrimitives.ReadInt64LittleEndian(span[StatxMtimeOffset..]), BinaryPrimitives.ReadUInt32LittleEndian(span[(StatxMtimeOffset + 8)..])),
        };
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Statx(int dirFd, string path, int flags, uint mask, byte* buffer);
}
