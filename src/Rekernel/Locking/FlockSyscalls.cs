using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Rekernel.Locking;

/// <summary>
/// open(2) and flock(2). The lock file is opened raw because .NET's FileStream takes its own flock on open,
/// which would stop a waiting process from even reading who holds the lock.
/// </summary>
internal static partial class FlockSyscalls
{
    private const int O_RDONLY = 0;
    private const int O_RDWR = 2;
    private const int O_CREAT = 0x40;
    private const int O_CLOEXEC = 0x80000;
    private const int LOCK_EX = 2;
    private const int LOCK_NB = 4;
    public const int EWOULDBLOCK = 11;
    private const int EINTR = 4;

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static partial int Flock(SafeFileHandle fd, int operation);

    /// <summary>The lock file opened read-write (created 0644 when missing); throws <see cref="IOException"/> with errno.</summary>
    public static SafeFileHandle OpenForLocking(string path) => OpenRaw(path, O_RDWR | O_CREAT | O_CLOEXEC);

    /// <summary>The lock file opened read-only, to learn who holds it.</summary>
    public static SafeFileHandle OpenForReading(string path) => OpenRaw(path, O_RDONLY | O_CLOEXEC);

    /// <summary>Takes an exclusive lock without waiting: 0 on success, else errno (EWOULDBLOCK when held elsewhere).</summary>
    public static int TryLockExclusive(SafeFileHandle handle)
    {
        while (true)
        {
            if (Flock(handle, LOCK_EX | LOCK_NB) == 0) return 0;
            int errno = Marshal.GetLastPInvokeError();
            if (errno != EINTR) return errno;
        }
    }

    private static SafeFileHandle OpenRaw(string path, int flags)
    {
        int fd = Open(path, flags, Convert.ToInt32("644", 8));
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new IOException($"open {path}: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
        }
        return new SafeFileHandle(fd, ownsHandle: true);
    }
}
