using System.Buffers;
using Microsoft.Win32.SafeHandles;

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
        return Read(stream.Length, offset, length, max, (into, at) =>
        {
            stream.Seek(at, SeekOrigin.Begin);
            stream.ReadExactly(into);
        }, parse, fail);
    }

    /// <summary>
    /// <see cref="Read{T}(Stream, long, long, int, HeadParser{T}, Func{string, T})"/> of a kernel file just opened
    /// (at its first byte) whose length the caller knows: read(2) from where the descriptor stands, where a
    /// <see cref="FileStream"/> asked for the position twice and the length twice of each of a thousand kernels.
    /// </summary>
    public static T Read<T>(SafeFileHandle file, long fileLength, int max, HeadParser<T> parse, Func<string, T> fail) =>
        Read(fileLength, 0, -1, max, (into, _) =>
        {
            for (int done = 0, n; done < into.Length; done += n)
            {
                if ((n = Native.FileSyscalls.Read(file, into[done..])) == 0) throw new EndOfStreamException();
            }
        }, parse, fail);

    private delegate void ReadAt(Span<byte> into, long offset);

    private static T Read<T>(long fileLength, long offset, long length, int max, ReadAt read, HeadParser<T> parse, Func<string, T> fail)
    {
        // Pooled: a bzImage head is 128 KiB, and a fresh array for each of a thousand kernels in /boot was 128 MB of
        // new memory, most of that listing's time.
        byte[] buffer = [];
        try
        {
            long available = Math.Max(0, fileLength - offset);
            if (length < 0 || length > available) length = available;
            int count = (int)Math.Min(length, max);
            buffer = ArrayPool<byte>.Shared.Rent(count);
            read(buffer.AsSpan(0, count), offset);
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
