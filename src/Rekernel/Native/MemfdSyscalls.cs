using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Rekernel.Native;

/// <summary><c>memfd_create(2)</c>: an anonymous file in memory, so assembled images never touch a disk.</summary>
internal static partial class MemfdSyscalls
{
    public const uint MFD_CLOEXEC = 1;

    /// <summary>A new memory file, or null with the errno when the kernel refuses.</summary>
    public static SafeFileHandle? Create(string name, out int errno)
    {
        int fd = MemfdCreate(name, MFD_CLOEXEC);
        errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
        return fd < 0 ? null : new SafeFileHandle(fd, ownsHandle: true);
    }

    [LibraryImport("libc", EntryPoint = "memfd_create", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int MemfdCreate(string name, uint flags);
}
