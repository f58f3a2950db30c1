using System.Buffers;

namespace Rekernel.Images;

/// <summary>Parses the head of a kernel image; <c>total</c> is the kernel's length in its file.</summary>
internal delegate T HeadParser<T>(ReadOnlySpan<byte> head, long total);

/// <summary>Reads the head of a kernel image for a header parser, the same way for every architecture's format.</summary>
internal static class KernelFileHead
{
    /// <summary>
    /// Parses the first <paramref name="max"/> bytes of the kernel that starts at <paramref name="offset"/> in a
    /// seekable stream and is <paramref name="length"/> bytes long (to the end when negative); a read error is
    /// handed to <paramref name="fail"/>.
    /// </summary>
    public static T Read<T>(Stream stream, long offset, long length, int max, HeadParser<T> parse, Func<string, T> fail)
    {
        ArgumentNullException.ThrowIfNull(stream);
        // Pooled: a bzImage head is 128 KiB, and a fresh array for each of a thousand kernels in /boot was 128 MB of
        // new memory, most of that listing's time.
        byte[] buffer = [];
        try
        {
            long available = Math.Max(0, stream.Length - offset);
            if (length < 0 || length > available) length = available;
            int count = (int)Math.Min(length, max);
            buffer = ArrayPool<byte>.Shared.Rent(count);
            stream.Seek(offset, SeekOrigin.Begin);
            stream.ReadExactly(buffer, 0, count);
            return parse(buffer.AsSpan(0, count), length);
        }
        catch (IOException e)
        {
            return fail($"cannot read the kernel image: {e.Message}");
        }
        finally
        {
            if (buffer.Length > 0) ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads a kernel file on the host with <paramref name="read"/>; never throws for a missing or unreadable file.</summary>
    public static T ReadFile<T>(string hostPath, Func<Stream, T> read, Func<string, T> fail)
    {
        try
        {
            using FileStream? stream = Native.FileSyscalls.OpenRegularStream(hostPath);
            return stream is null ? fail("cannot read the kernel image: not a regular file") : read(stream);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return fail($"cannot read the kernel image: {e.Message}");
        }
    }
}
