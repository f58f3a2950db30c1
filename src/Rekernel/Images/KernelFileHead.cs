namespace Rekernel.Images;

/// <summary>Reads the head of a kernel image for a header parser, the same way for every architecture's format.</summary>
internal static class KernelFileHead
{
    /// <summary>
    /// Parses the first <paramref name="max"/> bytes of the kernel that starts at <paramref name="offset"/> in a
    /// seekable stream and is <paramref name="length"/> bytes long (to the end when negative); a read error is
    /// handed to <paramref name="fail"/>.
    /// </summary>
    public static T Read<T>(Stream stream, long offset, long length, int max, Func<byte[], long, T> parse, Func<string, T> fail)
    {
        ArgumentNullException.ThrowIfNull(stream);
        try
        {
            long available = Math.Max(0, stream.Length - offset);
            if (length < 0 || length > available) length = available;
            var buffer = new byte[(int)Math.Min(length, max)];
            stream.Seek(offset, SeekOrigin.Begin);
            stream.ReadExactly(buffer);
            return parse(buffer, length);
        }
        catch (IOException e)
        {
            return fail($"cannot read the kernel image: {e.Message}");
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
