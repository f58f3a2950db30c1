using System.Runtime.InteropServices;

namespace Rekernel.Native;

/// <summary>
/// <c>ioctl(FS_IOC_GETFLAGS / FS_IOC_SETFLAGS)</c>, what <c>chattr</c> uses. efivarfs marks most variables
/// immutable so a stray <c>rm</c> cannot brick firmware; changing or removing one needs the flag cleared first.
/// The request numbers are the same on x86-64 and arm64 (asm-generic ioctl encoding).
/// </summary>
internal static partial class FileFlagSyscalls
{
    public const uint FS_IOC_GETFLAGS = 0x80086601;
    public const uint FS_IOC_SETFLAGS = 0x40086602;
    public const int FS_IMMUTABLE_FL = 0x10;
    private const int ENOTTY = 25;
    private const int EOPNOTSUPP = 95;

    /// <summary>
    /// Clears the immutable flag of a host file when it is set. A file system without such flags (tmpfs, or a
    /// test's scratch directory) has nothing to clear; any other failure is an <see cref="IOException"/>.
    /// </summary>
    public static void ClearImmutable(string hostPath)
    {
        using var handle = FileSyscalls.Open(hostPath, OpenFlags.O_RDONLY | OpenFlags.O_NONBLOCK, out int errno);
        if (handle is null) throw new IOException($"cannot open {hostPath} ({Errno.Name(errno)})", errno);
        bool added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            int fd = (int)handle.DangerousGetHandle();
            int flags = 0;
            if (Ioctl(fd, FS_IOC_GETFLAGS, ref flags) < 0)
            {
                errno = Marshal.GetLastPInvokeError();
                if (errno is ENOTTY or EOPNOTSUPP) return;
                throw new IOException($"cannot read the attributes of {hostPath} ({Errno.Name(errno)})", errno);
            }
            if ((flags & FS_IMMUTABLE_FL) == 0) return;
            flags &= ~FS_IMMUTABLE_FL;
            if (Ioctl(fd, FS_IOC_SETFLAGS, ref flags) < 0)
            {
                errno = Marshal.GetLastPInvokeError();
                throw new IOException($"cannot clear the immutable attribute of {hostPath} ({Errno.Name(errno)})", errno);
            }
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static partial int Ioctl(int fd, nuint request, ref int flags);
}
