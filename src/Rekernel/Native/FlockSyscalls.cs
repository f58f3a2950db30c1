using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using static Rekernel.Native.OpenFlags;

namespace Rekernel.Native;

/// <summary>
/// flock(2) on a lock file opened raw, because .NET's FileStream takes its own flock on open, which would stop a
/// waiting process from even reading who holds the lock.
/// </summary>
internal static partial class FlockSyscalls
{
    public const int LOCK_EX = 2;
    public const int LOCK_NB = 4;

    /// <summary>The lock file opened read-write (created 0644 when missing); throws <see cref="IOException"/> with errno.</summary>
    public static SafeFileHandle OpenForLocking(string path) => OpenOrThrow(path, O_RDWR | O_CREAT);

    /// <summary>The lock file opened read-only, to learn who holds it.</summary>
    public static SafeFileHandle OpenForReading(string path) => OpenOrThrow(path, O_RDONLY);

    /// <summary>Takes an exclusive lock without waiting: 0 on success, else errno (EAGAIN when held elsewhere).</summary>
    public static int TryLockExclusive(SafeFileHandle handle)
    {
        while (true)
        {
            if (Flock(handle, LOCK_EX | LOCK_NB) == 0) return 0;
            int errno = Marshal.GetLastPInvokeError();
            if (errno != Errno.EINTR) return errno;
        }
    }

    private static SafeFileHandle OpenOrThrow(string path, int flags) =>
        FileSyscalls.Open(path, flags, out int errno, mode: Convert.ToInt32("644", 8)) ?? throw FileSyscalls.ErrnoException("open", path, errno);

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static partial int Flock(SafeFileHandle fd, int operation);
}
