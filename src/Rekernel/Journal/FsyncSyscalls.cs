using System.Runtime.InteropServices;

namespace Rekernel.Journal;

/// <summary>open/fsync/close for a directory: .NET cannot open one, and a rename is durable only once its directory is synced.</summary>
internal static partial class FsyncSyscalls
{
    private const int O_RDONLY = 0;
    private const int O_DIRECTORY = 0x10000;
    private const int O_CLOEXEC = 0x80000;

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);

    /// <summary>fsync(2) on a directory; throws <see cref="IOException"/> carrying errno on failure.</summary>
    public static void SyncDirectory(string path)
    {
        int fd = Open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) throw ErrnoException("open", path, Marshal.GetLastPInvokeError());
        try
        {
            if (Fsync(fd) != 0) throw ErrnoException("fsync", path, Marshal.GetLastPInvokeError());
        }
        finally
        {
            _ = Close(fd);
        }
    }

    private static IOException ErrnoException(string call, string path, int errno) =>
        new($"{call} {path}: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
}
