using Microsoft.Win32.SafeHandles;

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
    public static byte[]? All(SafeFileHandle handle, int maxBytes)
    {
        using var stream = new FileStream(handle, FileAccess.Read, bufferSize: 0);
        long size = stream.CanSeek ? stream.Length : 0;
        if (size > maxBytes) return null;
        byte[] buffer = new byte[size > 0 ? size + 1 : 4096];
        int length = 0;
        while (true)
        {
            if (length == buffer.Length) Array.Resize(ref buffer, (int)Math.Min(buffer.Length * 2L, maxBytes + 1L));
            int n = stream.Read(buffer, length, buffer.Length - length);
            if (n <= 0) break;
            length += n;
            if (length > maxBytes) return null;
        }
        return buffer.AsSpan(0, length).ToArray();
    }
}
