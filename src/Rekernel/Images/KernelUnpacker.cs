using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.MemoryMappedFiles;
using Microsoft.Win32.SafeHandles;
using ZstdSharp;

namespace Rekernel.Images;

/// <summary>
/// Reads the kernel Image out of a kernel file, decompressing a gzip or EFI zboot kernel (<see cref="PackedKernel"/>)
/// with the BCL's <see cref="GZipStream"/>, or ZstdSharp's port of zstd's decoder for a zstd zboot payload (the BCL
/// of .NET 10 has no zstd). Corrupt compressed data throws <see cref="InvalidDataException"/>.
/// </summary>
public static class KernelUnpacker
{
    /// <summary>More than this is no kernel (Debian's arm64 Images are 27 to 33 MB): a bound against a decompression bomb.</summary>
    public const long MaxImageBytes = 256L << 20;

    /// <summary>The packing of the kernel that occupies <paramref name="kernel"/> of <paramref name="file"/>.</summary>
    public static PackedKernel Detect(SafeFileHandle file, FileSpan kernel)
    {
        byte[] head = new byte[(int)Math.Min(PackedKernel.HeadLength, kernel.Length)];
        int read = RandomAccess.Read(file, head, kernel.Offset);
        return PackedKernel.Detect(head.AsSpan(0, read), kernel);
    }

    /// <summary>The Image's bytes as a stream: the file's range as it is, or decompressed.</summary>
    public static Stream Open(SafeFileHandle file, PackedKernel packed)
    {
        var raw = new FileSpanStream(file, packed.Payload);
        return packed.Compression switch
        {
            KernelCompression.Gzip => new GZipStream(raw, CompressionMode.Decompress),
            // checkEndOfStream: a frame cut short is an error, not a quiet end.
            KernelCompression.Zstd => new DecompressionStream(raw, checkEndOfStream: true, leaveOpen: false),
            _ => raw,
        };
    }

    /// <summary>The first <paramref name="max"/> bytes of the Image (fewer when it is shorter).</summary>
    public static byte[] ReadHead(SafeFileHandle file, PackedKernel packed, int max)
    {
        using Stream image = Open(file, packed);
        // A decompressed length is unknown until the end: grow as it comes instead of allocating max up front.
        using var head = new MemoryStream(packed.Packing == KernelPacking.Plain ? (int)Math.Min(max, packed.Payload.Length) : 0);
        byte[] chunk = new byte[Math.Min(max, 1 << 20)];
        for (int read; head.Length < max && (read = Read(image, chunk.AsSpan(0, (int)Math.Min(chunk.Length, max - head.Length)))) > 0;)
            head.Write(chunk, 0, read);
        return head.ToArray();
    }

    /// <summary>Decompresses the whole Image into <paramref name="target"/> (an empty memory file); returns its length.</summary>
    /// <exception cref="InvalidDataException">The compressed data is corrupt, cut short, or larger than <see cref="MaxImageBytes"/>.</exception>
    public static long Unpack(SafeFileHandle file, PackedKernel packed, SafeFileHandle target)
    {
        uint expected = ExpectedLength(file, packed);
        if (packed.Compression == KernelCompression.Zstd) return UnpackZstd(file, packed.Payload, target, expected);
        using Stream image = Open(file, packed);
        byte[] buffer = new byte[1 << 20];
        long written = 0;
        for (int read; (read = Read(image, buffer)) > 0; written += read)
        {
            if (written + read > MaxImageBytes) throw new InvalidDataException($"it decompresses to more than {MaxImageBytes >> 20} MiB");
            RandomAccess.Write(target, buffer.AsSpan(0, read), written);
        }
        // GZipStream ends quietly where a cut-short file ends; the recorded length tells.
        if ((uint)written != expected)
            throw new InvalidDataException($"it decompresses to {written} bytes but its gzip trailer says {expected} (cut short?)");
        return written;
    }

    /// <summary>
    /// A zstd payload decoded in one pass straight into the memory file, mapped at the length Makefile.zboot appends:
    /// the output is then the decoder's window. <c>zstd -22 --ultra</c> declares a 128 MiB window, and a streaming
    /// decoder keeps a buffer of it filled as far as it wrote: 27 MiB more resident memory for Debian's 27 MB Image,
    /// 128 MiB reserved (bench/zboot-unpack.cs; bench/RESULTS.md).
    /// </summary>
    private static unsafe long UnpackZstd(SafeFileHandle file, FileSpan payload, SafeFileHandle target, uint expected)
    {
        if (expected == 0 || expected > MaxImageBytes || payload.Length > MaxImageBytes)
            throw new InvalidDataException($"its length word says {expected} bytes, which is no kernel");
        byte[] compressed = new byte[payload.Length];
        for (int done = 0, read; done < compressed.Length; done += read)
        {
            read = RandomAccess.Read(file, compressed.AsSpan(done), payload.Offset + done);
            if (read <= 0) throw new InvalidDataException("the file ends inside its zstd payload (cut short?)");
        }
        using var map = MemoryMappedFile.CreateFromFile(target, null, expected, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: true);
        using MemoryMappedViewAccessor view = map.CreateViewAccessor(0, expected);
        byte* start = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref start);
        try
        {
            using var decompressor = new Decompressor();
            int written = decompressor.Unwrap(compressed, new Span<byte>(start + view.PointerOffset, (int)expected));
            if (written != expected)
                throw new InvalidDataException($"it decompresses to {written} bytes but its length word says {expected} (cut short?)");
            return written;
        }
        catch (ZstdException e)
        {
            throw new InvalidDataException(e.Message, e);
        }
        finally
        {
            view.SafeMemoryMappedViewHandle.ReleasePointer();
        }
    }

    /// <summary>
    /// The uncompressed length modulo 2^32: gzip's ISIZE, the last 4 bytes of its payload (RFC 1952); for zstd the
    /// word Makefile.zboot appends right after the payload (the kernel's zstd frames come from a pipe and carry no
    /// content size).
    /// </summary>
    private static uint ExpectedLength(SafeFileHandle file, PackedKernel packed)
    {
        FileSpan payload = packed.Payload;
        Span<byte> word = stackalloc byte[4];
        if (packed.Compression == KernelCompression.Zstd)
        {
            if (RandomAccess.Read(file, word, payload.Offset + payload.Length) != 4)
                throw new InvalidDataException("its zstd payload is not followed by its length (cut short?)");
        }
        else if (payload.Length < 18 || RandomAccess.Read(file, word, payload.Offset + payload.Length - 4) != 4)
            throw new InvalidDataException($"its {payload.Length} bytes of gzip data are too few for a gzip stream");
        return BinaryPrimitives.ReadUInt32LittleEndian(word);
    }

    /// <summary>One read of the Image, with the zstd decoder's failures (a corrupt block, a frame cut short) as <see cref="InvalidDataException"/> like GZipStream's.</summary>
    private static int Read(Stream image, Span<byte> buffer)
    {
        try
        {
            return image.Read(buffer);
        }
        catch (Exception e) when (e is ZstdException or EndOfStreamException)
        {
            throw new InvalidDataException(e.Message, e);
        }
    }
}
