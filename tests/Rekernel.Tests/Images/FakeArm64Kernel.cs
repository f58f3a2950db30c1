using System.Buffers.Binary;
using System.Text;

namespace Rekernel.Tests.Images;

/// <summary>
/// Writes small files that carry a real arm64 Image header (the values Debian's 6.1.0-53-cloud-arm64 has: text
/// offset 0, flags 0x0A) and a <c>linux_banner</c> in the data after it.
/// </summary>
internal static class FakeArm64Kernel
{
    public static byte[] Image(string release, ulong flags = 0x0A, ulong imageSize = 0x01AA0000, ulong textOffset = 0)
    {
        byte[] banner = Encoding.ASCII.GetBytes($"Linux version {release} (rekernel@fixtures) #1 SMP Debian\n\0");
        var image = new byte[4096];
        Span<byte> b = image;
        "MZ"u8.CopyTo(b); // the EFI stub's PE signature, as in a real Image
        BinaryPrimitives.WriteUInt64LittleEndian(b[0x08..], textOffset);
        BinaryPrimitives.WriteUInt64LittleEndian(b[0x10..], imageSize);
        BinaryPrimitives.WriteUInt64LittleEndian(b[0x18..], flags);
        "ARM\x64"u8.CopyTo(b[0x38..]);
        banner.CopyTo(b[0x800..]);
        return image;
    }
}
