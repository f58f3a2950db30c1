using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;
using static Rekernel.Native.OpenFlags;

namespace Rekernel.Native;

/// <summary>
/// <c>open(2)</c>, <c>statx(2)</c> and <c>fsync(2)</c>: .NET exposes neither <c>O_NOFOLLOW</c>, nor a file's
/// owner and inode, nor a way to open a directory. statx is used rather than fstat because its structure is the
/// same on every architecture.
/// </summary>
internal static partial class FileSyscalls
{
    public const int AT_FDCWD = -100;
    public const int AT_EMPTY_PATH = 0x1000;
    public const int AT_SYMLINK_NOFOLLOW = 0x100;
    public const uint STATX_BASIC_STATS = 0x7ff;
    public const int StatxSize = 256;
    public const int StatxUidOffset = 20;
    public const int StatxModeOffset = 28;
    public const int StatxInodeOffset = 32;
    public const int StatxSizeOffset = 40;
    public const int StatxMtimeOffset = 0x70;
    public const int StatxDevMajorOffset = 136;
    public const int StatxDevMinorOffset = 140;

    /// <summary>A host path opened with <paramref name="flags"/> (plus <c>O_CLOEXEC</c>), or null with the errno.</summary>
    public static SafeFileHandle? Open(string hostPath, int flags, out int errno, int mode = 0)
    {
        int fd = OpenRaw(hostPath, flags | O_CLOEXEC, mode);
        errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
        return fd < 0 ? null : new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>
    /// Opens a host path read-only without following a final symbolic link and without blocking (a FIFO put
    /// where a file should be would otherwise hang the open until someone writes to it); the errno on failure.
    /// </summary>
    public static SafeFileHandle? OpenNoFollow(string hostPath, out int errno) => Open(hostPath, O_RDONLY | O_NOFOLLOW | O_NONBLOCK, out errno);

    /// <summary>
    /// A regular file opened for reading, or null for anything else (missing, a FIFO, a device, a directory, a
    /// final symbolic link). The type is checked before the open, so a device node is never opened (opening
    /// some, like a watchdog, has effects), and again on the descriptor.
    /// </summary>
    public static SafeFileHandle? OpenRegular(string hostPath, out long size)
    {
        size = 0;
        return Stat(hostPath, out _) is { IsRegularFile: true } ? OpenStatedRegular(hostPath, out size) : null;
    }

    /// <summary>
    /// <see cref="OpenRegular"/> for a path the caller has just seen to be a regular file (so no device node is
    /// opened): opened without following a link, and checked again on the descriptor; its size with it.
    /// </summary>
    public static SafeFileHandle? OpenStatedRegular(string hostPath, out long size) => Regular(OpenNoFollow(hostPath, out _), out size);

    /// <summary><see cref="OpenStatedRegular(string, out long)"/> of a path relative to an open directory.</summary>
    public static SafeFileHandle? OpenStatedRegular(SafeFileHandle directory, ReadOnlySpan<char> relativePath, out long size) =>
        Regular(OpenNoFollow(directory, relativePath, out _), out size);

    /// <summary>
    /// <see cref="OpenNoFollow(string, out int)"/> of a path relative to an open directory: the kernel walks only the
    /// components below it (a thousand boot entries under a fixture root each walked the root's path again).
    /// </summary>
    public static SafeFileHandle? OpenNoFollow(SafeFileHandle directory, ReadOnlySpan<char> relativePath, out int errno) =>
        OpenAt(directory, relativePath, O_RDONLY | O_NOFOLLOW | O_NONBLOCK, out errno);

    /// <summary>A directory relative to an open directory, opened (not following a final link) to list it and to look up paths below it.</summary>
    public static SafeFileHandle? OpenDirectory(SafeFileHandle directory, ReadOnlySpan<char> relativePath) =>
        OpenAt(directory, relativePath, O_RDONLY | O_DIRECTORY | O_NOFOLLOW, out _);

    private static unsafe SafeFileHandle? OpenAt(SafeFileHandle directory, ReadOnlySpan<char> relativePath, int flags, out int errno)
    {
        bool added = false;
        try
        {
            directory.DangerousAddRef(ref added);
            int fd;
            fixed (byte* path = Utf8Z(relativePath, stackalloc byte[PathBytesOnStack]))
                fd = OpenAtRaw((int)directory.DangerousGetHandle(), path, flags | O_CLOEXEC, 0);
            errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
            return fd < 0 ? null : new SafeFileHandle(fd, ownsHandle: true);
        }
        finally
        {
            if (added) directory.DangerousRelease();
        }
    }

    // The descriptor when it is a regular file (with its size), else closed.
    private static SafeFileHandle? Regular(SafeFileHandle? handle, out long size)
    {
        size = 0;
        if (handle is null) return null;
        if (Stat(handle, out _) is { IsRegularFile: true } status)
        {
            size = status.Size;
            return handle;
        }
        handle.Dispose();
        return null;
    }

    /// <summary>read(2) into <paramref name="buffer"/> from the file's position: the bytes read (0 at the end); throws <see cref="IOException"/> on failure.</summary>
    public static unsafe int Read(SafeFileHandle handle, Span<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            nint n = ReadRaw(handle, p, (nuint)buffer.Length);
            return n >= 0 ? (int)n : throw new IOException($"read: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}", Marshal.GetLastPInvokeError());
        }
    }

    /// <summary><see cref="OpenRegular"/> as a stream; null when the path is not a readable regular file.</summary>
    public static FileStream? OpenRegularStream(string hostPath) =>
        OpenRegular(hostPath, out _) is { } handle ? new FileStream(handle, FileAccess.Read, 1) : null;

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

    /// <summary>The status of a host path itself (a link is not followed unless <paramref name="followLinks"/>), or null with the errno.</summary>
    public static FileStatus? Stat(string hostPath, out int errno, bool followLinks = false) =>
        StatAt(AT_FDCWD, hostPath, followLinks ? 0 : AT_SYMLINK_NOFOLLOW, out errno);

    /// <summary>The status of a path relative to an open directory, the last component itself (a link is not followed).</summary>
    public static FileStatus? Stat(SafeFileHandle directory, ReadOnlySpan<char> relativePath, out int errno)
    {
        bool added = false;
        try
        {
            directory.DangerousAddRef(ref added);
            return StatAt((int)directory.DangerousGetHandle(), relativePath, AT_SYMLINK_NOFOLLOW, out errno);
        }
        finally
        {
            if (added) directory.DangerousRelease();
        }
    }

    /// <summary>fsync(2) on a directory, so a rename in it is durable; throws <see cref="IOException"/> carrying errno on failure.</summary>
    public static void SyncDirectory(string path)
    {
        using SafeFileHandle handle = Open(path, O_RDONLY | O_DIRECTORY, out int errno) ?? throw ErrnoException("open", path, errno);
        if (Fsync(handle) != 0) throw ErrnoException("fsync", path, Marshal.GetLastPInvokeError());
    }

    public static IOException ErrnoException(string call, string path, int errno) =>
        new($"{call} {path}: {Marshal.GetPInvokeErrorMessage(errno)}", errno);

    private static unsafe FileStatus? StatAt(int dirFd, ReadOnlySpan<char> relativePath, int flags, out int errno)
    {
        byte* buffer = stackalloc byte[StatxSize];
        int result;
        fixed (byte* path = Utf8Z(relativePath, stackalloc byte[PathBytesOnStack]))
            result = Statx(dirFd, path, flags, STATX_BASIC_STATS, buffer);
        if (result != 0)
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
            Inode = BinaryPrimitives.ReadUInt64LittleEndian(span[StatxInodeOffset..]),
            Device = (BinaryPrimitives.ReadUInt32LittleEndian(span[StatxDevMajorOffset..]), BinaryPrimitives.ReadUInt32LittleEndian(span[StatxDevMinorOffset..])),
        };
    }

    // Paths as the kernel takes them, UTF-8 and NUL-terminated, encoded from spans (as LibraryImport does a string):
    // on the stack up to this size, so that a path relative to a directory needs no string of its own.
    private const int PathBytesOnStack = 1024;

    private static Span<byte> Utf8Z(ReadOnlySpan<char> path, Span<byte> onStack)
    {
        Span<byte> buffer = path.Length * 3 + 1 <= onStack.Length ? onStack : new byte[Encoding.UTF8.GetByteCount(path) + 1];
        int length = Encoding.UTF8.GetBytes(path, buffer);
        buffer[length] = 0;
        return buffer[..(length + 1)];
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenRaw(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static unsafe partial int Statx(int dirFd, byte* path, int flags, uint mask, byte* buffer);

    [LibraryImport("libc", EntryPoint = "openat", SetLastError = true)]
    private static unsafe partial int OpenAtRaw(int dirFd, byte* path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static unsafe partial nint ReadRaw(SafeFileHandle fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(SafeFileHandle fd);
}
