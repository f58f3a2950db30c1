using System.Buffers;
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
    public static byte[]? All(SafeFileHandle handle, int maxBytes, long? size = null) =>
        All(handle, maxBytes, size, static bytes => bytes.ToArray());

    /// <summary>
    /// <see cref="All(SafeFileHandle, int, long?)"/> handed to <paramref name="convert"/> as a span of a pooled buffer:
    /// text decoded at once needs no array of its own (two per boot entry, the file's size each, were a thousand
    /// entries' largest garbage).
    /// </summary>
    public static T? All<T>(SafeFileHandle handle, int maxBytes, long? size, Func<ReadOnlySpan<byte>, T> convert) where T : class
    {
        ArgumentNullException.ThrowIfNull(convert);
        // One fstat and plain read(2) calls: a FileStream adds two lseek and a pread per read, and seeks at all.
        long guess = size ?? FileSyscalls.Stat(handle, out _)?.Size ?? 0;
        if (guess > maxBytes) return null;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(guess > 0 ? (int)guess + 1 : 4096);
        try
        {
            int length = 0;
            while (true)
            {
                if (length == buffer.Length) Grow(ref buffer, (int)Math.Min(buffer.Length * 2L, maxBytes + 1L));
                int n = FileSyscalls.Read(handle, buffer.AsSpan(length));
                if (n <= 0) break;
                length += n;
                if (length > maxBytes) return null;
                // A file that reported its size ends where a read falls short of what was asked (read(2) returns less
                // only at the end of a regular file): no further read to see it return 0, one system call per boot
                // entry. Files that report no size (/proc) are read until a read returns 0.
                if (guess > 0 && length < buffer.Length) break;
            }
            return convert(buffer.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void Grow(ref byte[] buffer, int size)
    {
        byte[] larger = ArrayPool<byte>.Shared.Rent(size);
        buffer.CopyTo(larger, 0);
        ArrayPool<byte>.Shared.Return(buffer);
        buffer = larger;
    }
}
