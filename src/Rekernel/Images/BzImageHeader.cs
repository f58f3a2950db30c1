using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace Rekernel.Images;

/// <summary>
/// The x86 Linux boot protocol header at the start of a bzImage (Documentation/arch/x86/boot.rst), with the
/// checks <c>kexec_file_load(2)</c> makes before it accepts a kernel (arch/x86/kernel/kexec-bzimage64.c,
/// <c>bzImage64_probe</c>).
/// </summary>
public sealed record BzImageHeader
{
    /// <summary>Offset of <c>setup_sects</c>; the header runs from here to at most <see cref="HeaderEnd"/>.</summary>
    internal const int SetupSectsOffset = 0x1F1;
    internal const int BootFlagOffset = 0x1FE;
    internal const int MagicOffset = 0x202;
    internal const int VersionOffset = 0x206;
    internal const int KernelVersionOffset = 0x20E;
    internal const int LoadFlagsOffset = 0x211;
    internal const int XLoadFlagsOffset = 0x236;
    internal const int SysSizeOffset = 0x1F4;
    internal const int HeaderEnd = 0x240;

    internal const ushort BootFlag = 0xAA55;
    internal const uint Magic = 0x53726448; // "HdrS" read little-endian
    internal const byte LoadedHigh = 0x01;
    internal const ushort XlfKernel64 = 0x01;
    internal const ushort XlfCanBeLoadedAbove4G = 0x02;

    /// <summary>The oldest boot protocol <c>kexec_file_load</c> accepts for a 64-bit kernel (2.12).</summary>
    public const ushort MinKexecProtocol = 0x020C;

    // kexec_file_load wants at least two sectors before it looks at the header.
    private const int MinImageLength = 2 * 512;
    private const int MaxVersionLength = 256;

    /// <summary>Boot protocol version, major in the high byte (0x020F is 2.15).</summary>
    public required ushort Protocol { get; init; }

    /// <summary>Number of 512-byte setup sectors as the boot loader counts them (a stored 0 means 4).</summary>
    public required int SetupSectors { get; init; }

    public required byte LoadFlags { get; init; }

    public required ushort XLoadFlags { get; init; }

    /// <summary>The kernel's version banner, for example <c>6.1.0-53-cloud-amd64 (debian-kernel@lists.debian.org) #1 SMP ...</c>.</summary>
    public string? KernelVersion { get; init; }

    /// <summary><c>syssize</c>: the protected-mode kernel's size in 16-byte paragraphs (0 when the header predates it).</summary>
    public uint SysSize { get; init; }

    /// <summary>The bytes a complete image holds at least: the setup plus the protected-mode kernel.</summary>
    public long ImageLength => SetupLength + (long)SysSize * 16;

    /// <summary>The release (<c>uname -r</c>) part of <see cref="KernelVersion"/>: its first word.</summary>
    public string? Release => KernelVersion is { } v && v.Split(' ', 2)[0] is { Length: > 0 } r ? r : null;

    /// <summary>Bytes from the start of the file to the 64-bit kernel proper: the boot sector plus the setup sectors.</summary>
    public int SetupLength => (SetupSectors + 1) * 512;

    /// <summary>"2.15" form of <see cref="Protocol"/>.</summary>
    public string ProtocolText => $"{Protocol >> 8}.{Protocol & 0xFF:D2}";

    /// <summary>
    /// Bytes worth reading from the start of a kernel so that <see cref="Parse"/> finds the version banner: the
    /// whole real-mode setup, which is at most 256 sectors.
    /// </summary>
    public const int MaxSetupLength = 256 * 512;

    /// <summary>
    /// Parses the header from the first bytes of a kernel (pass at least <see cref="MaxSetupLength"/> bytes, or
    /// the whole file when shorter, to get the version banner). Never throws.
    /// </summary>
    /// <param name="image">The first bytes of the file.</param>
    /// <param name="fileLength">The whole file's length, when only a prefix is passed; defaults to the prefix length.</param>
    public static BzImageParseResult Parse(ReadOnlySpan<byte> image, long fileLength = -1)
    {
        if (fileLength < image.Length) fileLength = image.Length;
        if (fileLength == 0) return BzImageParseResult.Fail("not a Linux kernel image: the file is empty");
        if (image.Length < HeaderEnd)
            return BzImageParseResult.Fail($"not a Linux kernel image: {fileLength} bytes is too short for a boot header");
        if (BinaryPrimitives.ReadUInt32LittleEndian(image[MagicOffset..]) != Magic)
            return BzImageParseResult.Fail("not a Linux kernel image: no HdrS magic");
        if (BinaryPrimitives.ReadUInt16LittleEndian(image[BootFlagOffset..]) != BootFlag)
            return BzImageParseResult.Fail("not a Linux kernel image: no 0xAA55 boot flag");

        ushort protocol = BinaryPrimitives.ReadUInt16LittleEndian(image[VersionOffset..]);
        byte stored = image[SetupSectsOffset];
        var header = new BzImageHeader
        {
            Protocol = protocol,
            SetupSectors = stored == 0 ? 4 : stored,
            LoadFlags = image[LoadFlagsOffset],
            // xloadflags exists from protocol 2.12; older headers have other data there.
            XLoadFlags = protocol >= MinKexecProtocol ? BinaryPrimitives.ReadUInt16LittleEndian(image[XLoadFlagsOffset..]) : (ushort)0,
            KernelVersion = VersionBanner(image, protocol),
            // syssize is only trustworthy from protocol 2.04 on (boot.rst).
            SysSize = protocol >= 0x0204 ? BinaryPrimitives.ReadUInt32LittleEndian(image[SysSizeOffset..]) : 0,
        };
        return new BzImageParseResult(header, KexecProblem(header, fileLength));
    }

    /// <summary>Reads and parses the header of the kernel that starts at <paramref name="offset"/> in a seekable stream.</summary>
    public static BzImageParseResult Read(Stream stream, long offset = 0, long length = -1) =>
        KernelFileHead.Read(stream, offset, length, MaxSetupLength, (head, total) => Parse(head, total), BzImageParseResult.Fail);

    /// <summary>Reads and parses the header of a kernel file just opened, <paramref name="fileLength"/> bytes long.</summary>
    public static BzImageParseResult Read(SafeFileHandle file, long fileLength) =>
        KernelFileHead.Read(file, fileLength, MaxSetupLength, (head, total) => Parse(head, total), BzImageParseResult.Fail);

    /// <summary>Reads and parses the header of a kernel file on the host. Never throws for a missing or unreadable file.</summary>
    public static BzImageParseResult ReadFile(string hostPath) => KernelFileHead.ReadFile(hostPath, s => Read(s), BzImageParseResult.Fail);

    // The same order of checks as bzImage64_probe, so the reason matches what the kernel would log.
    private static string? KexecProblem(BzImageHeader h, long fileLength)
    {
        if (fileLength < MinImageLength)
            return $"kexec_file_load cannot load it: {fileLength} bytes is shorter than the two sectors a bzImage needs";
        if (h.Protocol < MinKexecProtocol)
            return $"kexec_file_load cannot load it: boot protocol {h.ProtocolText} is older than 2.12";
        if ((h.LoadFlags & LoadedHigh) == 0)
            return "kexec_file_load cannot load it: a zImage, not a bzImage (LOADED_HIGH is not set)";
        if ((h.XLoadFlags & XlfKernel64) == 0)
            return "kexec_file_load cannot load it: not a 64-bit kernel (XLF_KERNEL_64 is not set)";
        if ((h.XLoadFlags & XlfCanBeLoadedAbove4G) == 0)
            return "kexec_file_load cannot load it: the kernel cannot be loaded above 4 GiB (XLF_CAN_BE_LOADED_ABOVE_4G is not set)";
        if (fileLength < h.SetupLength)
            return $"kexec_file_load cannot load it: the image is truncated ({fileLength} bytes, its setup alone is {h.SetupLength})";
        // kexec_file_load does not check this, and a truncated kernel crashes after the jump instead of failing now.
        if (fileLength < h.ImageLength)
            return $"the image is truncated ({fileLength} bytes, but its header says the kernel needs {h.ImageLength})";
        return null;
    }

    // boot.rst: kernel_version (protocol 2.00+) points to a NUL-terminated string, offset by 0x200 from the file start.
    private static string? VersionBanner(ReadOnlySpan<byte> image, ushort protocol)
    {
        if (protocol < 0x0200) return null;
        ushort pointer = BinaryPrimitives.ReadUInt16LittleEndian(image[KernelVersionOffset..]);
        if (pointer == 0) return null;
        int start = pointer + 0x200;
        if (start >= image.Length) return null;
        ReadOnlySpan<byte> rest = image[start..];
        int end = rest.IndexOf((byte)0);
        if (end <= 0 || end > MaxVersionLength) return null;
        ReadOnlySpan<byte> text = rest[..end];
        foreach (byte b in text)
        {
            if (b < 0x20 || b > 0x7E) return null;
        }
        return System.Text.Encoding.ASCII.GetString(text);
    }
}
