using System.Buffers.Binary;

namespace Rekernel.Images;

/// <summary>
/// Where the kernel Image sits in a kernel file and how it is compressed: as it is, a gzip stream (magic
/// <c>1f 8b</c>), or the payload of an EFI zboot image. The zboot header is the one of the kernel's
/// drivers/firmware/efi/libstub/zboot-header.S (and kexec-tools' <c>struct linux_pe_zboot_header</c>): "MZ", then
/// "zimg" at 4, the payload's offset and size as 32-bit little-endian words at 8 and 12, and the compression's name,
/// NUL-terminated, at 24. Makefile.zboot names zstd "zstd22" (its <c>zstd -22 --ultra</c>) and appends the
/// uncompressed length after a zstd payload, outside the size in the header (gzip's trailer already holds it).
/// kexec_file_load takes only the decompressed Image, so rekernel decompresses it first, as kexec-tools does.
/// <see cref="Problem"/> is set when the Image cannot be had.
/// </summary>
public sealed record PackedKernel(KernelPacking Packing, FileSpan Payload, KernelCompression Compression, string? Problem = null)
{
    internal const int ZbootTypeOffset = 4;
    internal const int ZbootPayloadOffset = 8;
    internal const int ZbootPayloadSize = 12;
    internal const int ZbootCompression = 24;
    internal const int ZbootHeaderLength = 0x38;

    /// <summary>Bytes of the uncompressed length that follow a zstd payload (Makefile.zboot's ZBOOT_SIZE_LEN).</summary>
    internal const int ZstdSizeLength = 4;

    /// <summary>Bytes of the head that <see cref="Detect"/> needs at most.</summary>
    public const int HeadLength = ZbootHeaderLength;

    /// <summary>The packing of the kernel that occupies <paramref name="kernel"/> of its file, from its first bytes.</summary>
    public static PackedKernel Detect(ReadOnlySpan<byte> head, FileSpan kernel)
    {
        if (head.Length >= 2 && head[0] == 0x1F && head[1] == 0x8B) return new(KernelPacking.Gzip, kernel, KernelCompression.Gzip);
        if (head.Length < ZbootHeaderLength || !head.StartsWith("MZ"u8) || !head[ZbootTypeOffset..].StartsWith("zimg"u8))
            return new(KernelPacking.Plain, kernel, KernelCompression.None);
        uint offset = BinaryPrimitives.ReadUInt32LittleEndian(head[ZbootPayloadOffset..]);
        uint size = BinaryPrimitives.ReadUInt32LittleEndian(head[ZbootPayloadSize..]);
        ReadOnlySpan<byte> name = head[ZbootCompression..ZbootHeaderLength];
        int nul = name.IndexOf((byte)0);
        string compression = System.Text.Encoding.ASCII.GetString(nul < 0 ? name : name[..nul]);
        KernelCompression kind = compression switch
        {
            "gzip" => KernelCompression.Gzip,
            "zstd22" or "zstd" => KernelCompression.Zstd,
            _ => KernelCompression.None,
        };
        long end = offset + (long)size + (kind == KernelCompression.Zstd ? ZstdSizeLength : 0);
        var payload = new FileSpan(kernel.Offset + offset, size);
        if (offset < ZbootHeaderLength || end > kernel.Length)
            return new(KernelPacking.Zboot, kernel, kind, $"an EFI zboot image whose payload ({size} bytes at {offset}) lies outside its {kernel.Length} bytes (truncated?)");
        return kind == KernelCompression.None
            ? new(KernelPacking.Zboot, payload, kind, $"an EFI zboot image compressed with \"{compression}\", which rekernel cannot decompress (it reads gzip and zstd); install the distribution's uncompressed or gzip Image")
            : new(KernelPacking.Zboot, payload, kind);
    }
}
