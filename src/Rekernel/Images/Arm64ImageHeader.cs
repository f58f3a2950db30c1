using System.Buffers.Binary;

namespace Rekernel.Images;

/// <summary>
/// The 64-byte header at the start of an arm64 kernel <c>Image</c> (Documentation/arch/arm64/booting.rst), with the
/// checks arm64's <c>kexec_file_load(2)</c> makes before it accepts one (arch/arm64/kernel/kexec_image.c,
/// <c>image_probe</c> and <c>image_load</c>).
/// </summary>
public sealed record Arm64ImageHeader
{
    internal const int TextOffsetOffset = 0x08;
    internal const int ImageSizeOffset = 0x10;
    internal const int FlagsOffset = 0x18;
    internal const int MagicOffset = 0x38;
    internal const int PeOffsetOffset = 0x3C; // res5: where the EFI stub's PE header starts, 0 without one
    internal const int HeaderLength = 0x40;

    internal const uint Magic = 0x644D5241; // "ARM\x64" read little-endian

    internal const ulong FlagBigEndian = 1UL << 0;
    internal const int FlagPageSizeShift = 1;
    internal const ulong FlagPageSizeMask = 3;
    internal const ulong FlagPhysPlacementAnywhere = 1UL << 3;

    private const int MaxVersionLength = 256;

    /// <summary>Where the kernel wants to sit above a 2 MiB-aligned base (0 for kernels since 5.10; 0x80000 before).</summary>
    public required ulong TextOffset { get; init; }

    /// <summary>The bytes the kernel occupies once placed, BSS included (larger than the file); 0 before Linux 3.17.</summary>
    public required ulong ImageSize { get; init; }

    /// <summary>The raw <c>flags</c> field; see <see cref="IsBigEndian"/>, <see cref="PageSizeKiB"/>, <see cref="PlacementAnywhere"/>.</summary>
    public required ulong Flags { get; init; }

    /// <summary>Bit 0: the kernel is big-endian.</summary>
    public bool IsBigEndian => (Flags & FlagBigEndian) != 0;

    /// <summary>Bits 1-2: the page size the kernel was built for, in KiB (4, 16 or 64), or 0 when unspecified.</summary>
    public int PageSizeKiB => ((Flags >> FlagPageSizeShift) & FlagPageSizeMask) switch { 1 => 4, 2 => 16, 3 => 64, _ => 0 };

    /// <summary>Bit 3: the kernel may be placed anywhere in physical memory (else as close to the start of DRAM as possible).</summary>
    public bool PlacementAnywhere => (Flags & FlagPhysPlacementAnywhere) != 0;

    /// <summary>The kernel's version banner after "Linux version ", when the bytes parsed include it (an uncompressed Image holds it in its data).</summary>
    public string? KernelVersion { get; init; }

    /// <summary>The release (<c>uname -r</c>) part of <see cref="KernelVersion"/>: its first word.</summary>
    public string? Release => KernelVersion is { } v && v.Split(' ', 2)[0] is { Length: > 0 } r ? r : null;

    /// <summary>
    /// Bytes worth reading to find the version banner: the whole file, up to this bound (Debian's 6.1 Images are
    /// 27 to 33 MB, the banner about 12 MB in).
    /// </summary>
    public const int MaxImageLength = 128 << 20;

    /// <summary>True when the bytes start with an arm64 Image header (the magic at 0x38), whatever else is wrong with it.</summary>
    public static bool HasMagic(ReadOnlySpan<byte> image) =>
        image.Length >= HeaderLength && BinaryPrimitives.ReadUInt32LittleEndian(image[MagicOffset..]) == Magic;

    /// <summary>
    /// Parses the header from the first bytes of a kernel; the version banner is searched in all the bytes passed
    /// (pass the whole file to get it, the first <see cref="HeaderLength"/> bytes are enough for the header). Never throws.
    /// </summary>
    /// <param name="image">The first bytes of the file.</param>
    /// <param name="fileLength">The whole file's length, when only a prefix is passed; defaults to the prefix length.</param>
    public static Arm64ImageParseResult Parse(ReadOnlySpan<byte> image, long fileLength = -1)
    {
        if (fileLength < image.Length) fileLength = image.Length;
        if (fileLength == 0) return Arm64ImageParseResult.Fail("not an arm64 kernel Image: the file is empty");
        if (image.Length >= 2 && image[0] == 0x1F && image[1] == 0x8B)
            return Arm64ImageParseResult.Fail("a gzip-compressed kernel, not an arm64 Image: kexec_file_load needs the uncompressed Image (gunzip it)");
        if (image.Length < HeaderLength)
            return Arm64ImageParseResult.Fail($"not an arm64 kernel Image: {fileLength} bytes is too short for an Image header");
        if (!HasMagic(image))
        {
            // EFI zboot (CONFIG_EFI_ZBOOT): a PE stub ("MZ", then "zimg") that decompresses the real Image itself.
            return image[0] == (byte)'M' && image[1] == (byte)'Z' && image[4..8].SequenceEqual("zimg"u8)
                ? Arm64ImageParseResult.Fail("an EFI zboot kernel (compressed), not an arm64 Image: kexec_file_load needs the uncompressed Image")
                : Arm64ImageParseResult.Fail("not an arm64 kernel Image: no ARM\\x64 magic at 0x38");
        }

        var header = new Arm64ImageHeader
        {
            TextOffset = BinaryPrimitives.ReadUInt64LittleEndian(image[TextOffsetOffset..]),
            ImageSize = BinaryPrimitives.ReadUInt64LittleEndian(image[ImageSizeOffset..]),
            Flags = BinaryPrimitives.ReadUInt64LittleEndian(image[FlagsOffset..]),
            KernelVersion = VersionBanner(image),
        };
        return new Arm64ImageParseResult(header, TruncationProblem(image, fileLength) ?? KexecProblem(header));
    }

    /// <summary>Reads and parses the kernel that starts at <paramref name="offset"/> in a seekable stream (at most <see cref="MaxImageLength"/> bytes).</summary>
    public static Arm64ImageParseResult Read(Stream stream, long offset = 0, long length = -1) =>
        KernelFileHead.Read(stream, offset, length, MaxImageLength, (head, total) => Parse(head, total), Arm64ImageParseResult.Fail);

    /// <summary>Reads and parses a kernel file on the host. Never throws for a missing or unreadable file.</summary>
    public static Arm64ImageParseResult ReadFile(string hostPath) => KernelFileHead.ReadFile(hostPath, s => Read(s), Arm64ImageParseResult.Fail);

    // An Image's file ends before its BSS, so image_size cannot tell a truncated file; the EFI stub every distribution
    // kernel carries can: its PE section table says where the file's last byte is (Debian's 6.1.0-53-cloud-arm64: .data
    // ends at 27234816 of 27236288 bytes, the rest is the signature). Unknown when the table is not in the bytes passed.
    private static string? TruncationProblem(ReadOnlySpan<byte> image, long fileLength)
    {
        const int coffLength = 24, sectionLength = 40;
        if (image[0] != (byte)'M' || image[1] != (byte)'Z') return null;
        uint pe = BinaryPrimitives.ReadUInt32LittleEndian(image[PeOffsetOffset..]);
        if (pe < HeaderLength || pe > image.Length - coffLength || !image[(int)pe..].StartsWith("PE\0\0"u8)) return null;
        int sections = BinaryPrimitives.ReadUInt16LittleEndian(image[((int)pe + 6)..]);
        long table = pe + coffLength + BinaryPrimitives.ReadUInt16LittleEndian(image[((int)pe + 20)..]);
        if (table + (long)sections * sectionLength > image.Length) return null;
        long end = 0;
        for (int i = 0; i < sections; i++)
        {
            ReadOnlySpan<byte> section = image.Slice((int)table + i * sectionLength, sectionLength);
            end = Math.Max(end, (long)BinaryPrimitives.ReadUInt32LittleEndian(section[20..]) + BinaryPrimitives.ReadUInt32LittleEndian(section[16..]));
        }
        return end > fileLength ? $"the image is truncated ({fileLength} bytes, but its header says the kernel needs {end})" : null;
    }

    // image_load's checks that do not depend on the CPU (the page size granules it supports are not known here).
    private static string? KexecProblem(Arm64ImageHeader h)
    {
        if (h.ImageSize == 0)
            return "kexec_file_load cannot load it: its header has no image size (a kernel older than Linux 3.17)";
        if (h.IsBigEndian)
            return "kexec_file_load cannot load it: a big-endian kernel, and this machine runs little-endian";
        return null;
    }

    // init/version.c's linux_banner, "Linux version <release> (<builder>) ...", lies in the Image's read-only data.
    private static string? VersionBanner(ReadOnlySpan<byte> image)
    {
        ReadOnlySpan<byte> prefix = "Linux version "u8;
        ReadOnlySpan<byte> rest = image;
        int at;
        while ((at = rest.IndexOf(prefix)) >= 0)
        {
            rest = rest[(at + prefix.Length)..];
            int end = rest.IndexOfAny((byte)0, (byte)'\n');
            if (end <= 0 || end > MaxVersionLength) continue;
            ReadOnlySpan<byte> text = rest[..end];
            // A banner starts with a release and is printable ASCII; a format string ("%s") or stray match is skipped.
            if (!char.IsAsciiDigit((char)text[0]) || text.ContainsAnyExceptInRange((byte)0x20, (byte)0x7E)) continue;
            return System.Text.Encoding.ASCII.GetString(text);
        }
        return null;
    }
}
