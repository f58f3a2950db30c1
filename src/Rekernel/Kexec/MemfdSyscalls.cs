using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Rekernel.Kexec;

/// <summary><c>memfd_create(2)</c>: an anonymous file in memory, so assembled images never touch a disk.</summary>
internal static partial class MemfdSyscalls
{
    public const uint MFD_CLOEXEC = 1;

    /// <summary>A new memory file; throws <see cref="KexecException"/> when the kernel refuses.</summary>
    public static SafeFileHandle Create(string name)
    {
        int fd = MemfdCreate(name, MFD_CLOEXEC);
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new KexecException(errno, $"memfd_create failed ({Errno.Name(errno)}); the running kernel cannot hold the images in memory, free some memory and retry.");
        }
        return new SafeFileHandle(fd, ownsHandle: true);
    }

    [LibraryImport("libc", EntryPoint = "memfd_create", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int MemfdCreate(string name, uint flags);
}
