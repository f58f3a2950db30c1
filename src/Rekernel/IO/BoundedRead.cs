using Microsoft.Win32.SafeHandles;
using Rekernel.Native;

namespace Rekernel.IO;

/// <summary>
/// Reads a whole file, but never more than a limit: rekernel's inputs (boot configuration, its own config and
/// state, /proc and /sys files) are kilobytes, and a huge or endless file where one is expected must not exhaust
/// memory. The size is only a first guess, since /proc and /sys files report 0 and a file can grow; and the
/// reads are sequential, since some of those files (securityfs, for one) cannot seek.
/// </summary>
public static class BoundedRead
{
    /// <summary>The file's bytes from its current position, or null when it holds more than <paramref name="maxBytes"/>.</summary>
    /// <param name="size">The file's size when the caller has just asked (saves an fstat); null to ask here.</param>
    public static byte[]? All(SafeFileHandle handle, int maxBytes, long? size = null)
    {
        // One fstat and plain read(2) calls: a FileStream adds two lseek and a pread per read, and seeks at all.
        long guess = size ?? FileSyscalls.Stat(handle, out _)?.Size ?? 0;
        if (guess > maxBytes) return null;
        byte[] buffer = new byte[guess > 0 ? guess + 1 : 4096];
        int length = 0;
        while (true)
        {
            if (length == buffer.Length) Array.Resize(ref buffer, (int)Math.Min(buffer.Length * 2L, maxBytes + 1L));
            int n = FileSyscalls.Read(handle, buffer.AsSpan(length));
            if (n <= 0) break;
            length += n;
            if (length > maxBytes) return null;
        }
        return buffer.AsSpan(0, length).ToArray();
    }
}
