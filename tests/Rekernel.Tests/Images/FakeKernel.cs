using System.Buffers.Binary;
using System.Text;

namespace Rekernel.Tests.Images;

/// <summary>
/// Writes small files that carry a real x86 boot protocol header (the fields a boot loader and kexec_file_load
/// read, with the values a Debian 6.1 kernel has) and a version banner, so tests can create kernels that parse
/// like real ones without shipping 10 MB each.
/// </summary>
internal static class FakeKernel
{
    public const int SetupSectors = 4;
    private const int BannerOffset = 0x400;
    private const int PayloadLength = 1024;

    /// <summary>A banner in the form the kernel's <c>linux_banner</c> has: release, builder, build number.</summary>
    public static string Banner(string release) => $"{release} (rekernel@fixtures) #1 SMP PREEMPT_DYNAMIC";

    /// <summary>The bytes of a fake bzImage whose header reports <paramref name="banner"/>.</summary>
    public static byte[] Image(string banner, ushort protocol = 0x020F, ushort xloadFlags = 0x7F, byte loadFlags = 0x01)
    {
        var image = new byte[(SetupSectors + 1) * 512 + PayloadLength];
        Span<byte> b = image;
        b[0x1F1] = SetupSectors;
        BinaryPrimitives.WriteUInt16LittleEndian(b[0x1FE..], 0xAA55);
        b[0x200] = 0xEB; // jmp short over the header, as in a real kernel; kexec reads the header length from the offset
        b[0x201] = 0x6A;
        "HdrS"u8.CopyTo(b[0x202..]);
        BinaryPrimitives.WriteUInt16LittleEndian(b[0x206..], protocol);
        BinaryPrimitives.WriteUInt16LittleEndian(b[0x20E..], BannerOffset - 0x200);
        b[0x211] = loadFlags;
        BinaryPrimitives.WriteUInt32LittleEndian(b[0x214..], 0x100000);   // code32_start
        BinaryPrimitives.WriteUInt32LittleEndian(b[0x230..], 0x200000);   // kernel_alignment
        b[0x234] = 1;                                                      // relocatable_kernel
        b[0x235] = 0x15;                                                   // min_alignment
        BinaryPrimitives.WriteUInt16LittleEndian(b[0x236..], xloadFlags);
        BinaryPrimitives.WriteUInt32LittleEndian(b[0x238..], 0x7FF);      // cmdline_size
        BinaryPrimitives.WriteUInt64LittleEndian(b[0x258..], 0x1000000);  // pref_address
        BinaryPrimitives.WriteUInt32LittleEndian(b[0x260..], 0x100000);   // init_size
        Encoding.ASCII.GetBytes(banner).CopyTo(b[BannerOffset..]);
        for (int i = (SetupSectors + 1) * 512; i < image.Length; i++) image[i] = (byte)(i * 7);
        return image;
    }

    /// <summary>Writes a fake kernel for <paramref name="release"/> to a host path, creating its folder.</summary>
    public static string Write(string hostPath, string release, string? banner = null)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(hostPath)!);
        File.WriteAllBytes(hostPath, Image(banner ?? Banner(release)));
        return hostPath;
    }
}
