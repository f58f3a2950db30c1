using Rekernel.Images;

namespace Rekernel.Tests.Images;

public sealed class Arm64ImageHeaderTests
{
    // Expected values from the cached file with independent tools:
    //   od -A x -t x8 -N 64 vmlinuz-6.1.0-53-cloud-arm64  ->  000010 0000000001aa0000 000000000000000a, 000030 ... 00000040644d5241
    //   strings vmlinuz-6.1.0-53-cloud-arm64 | grep "Linux version"  ->  Linux version 6.1.0-53-cloud-arm64 (debian-kernel@lists.debian.org) ...
    //   file: "Linux kernel ARM64 boot executable Image, little-endian, 4K pages"
    [Fact]
    public void RealKernel_Debian61CloudArm64_HeaderAndRelease()
    {
        Arm64ImageParseResult result = Arm64ImageHeader.ReadFile(LabKernel.Arm64Vmlinuz);

        Assert.True(result.IsValid, result.Problem);
        Arm64ImageHeader h = result.Header!;
        Assert.Equal(0x0UL, h.TextOffset);
        Assert.Equal(0x01AA0000UL, h.ImageSize);
        Assert.Equal(0x0AUL, h.Flags);
        Assert.False(h.IsBigEndian);
        Assert.Equal(4, h.PageSizeKiB);
        Assert.True(h.PlacementAnywhere);
        Assert.StartsWith("6.1.0-53-cloud-arm64 (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14+deb12u1) 12.2.0", h.KernelVersion);
        Assert.Equal("6.1.0-53-cloud-arm64", h.Release);
    }

    [Fact]
    public void RealKernel_HeaderAlone_ParsesWithoutRelease()
    {
        byte[] head = new byte[64];
        using (FileStream f = File.OpenRead(LabKernel.Arm64Vmlinuz)) f.ReadExactly(head);

        Arm64ImageParseResult result = Arm64ImageHeader.Parse(head, fileLength: 27236288);

        Assert.True(result.IsValid, result.Problem);
        Assert.Equal(0x01AA0000UL, result.Header!.ImageSize);
        Assert.Null(result.Header.Release);
    }

    // 27234816 = PointerToRawData + SizeOfRawData of .data, the last section of the EFI stub's table
    // (aarch64-linux-gnu-objdump -h vmlinuz-6.1.0-53-cloud-arm64: .data 005b9200 bytes at file offset 01440000); the file is 27236288.
    [Theory]
    [InlineData(1000000)]
    [InlineData(27234815)]
    public void RealKernel_CutShort_IsTruncated(int length)
    {
        byte[] head = new byte[4096];
        using (FileStream f = File.OpenRead(LabKernel.Arm64Vmlinuz)) f.ReadExactly(head);

        Arm64ImageParseResult result = Arm64ImageHeader.Parse(head, fileLength: length);

        Assert.NotNull(result.Header);
        Assert.Equal($"the image is truncated ({length} bytes, but its header says the kernel needs 27234816)", result.Problem);
    }

    [Fact]
    public void RealKernel_WithoutItsSignature_IsWhole()
    {
        byte[] head = new byte[4096];
        using (FileStream f = File.OpenRead(LabKernel.Arm64Vmlinuz)) f.ReadExactly(head);

        Assert.True(Arm64ImageHeader.Parse(head, fileLength: 27234816).IsValid);
    }

    [Fact]
    public void RealX86Kernel_HasNoArm64Magic()
    {
        Assert.Equal("not an arm64 kernel Image: no ARM\\x64 magic at 0x38", Arm64ImageHeader.ReadFile(LabKernel.Vmlinuz).Problem);
    }

    [Fact]
    public void FakeKernel_FlagsDecode()
    {
        Arm64ImageHeader h = Arm64ImageHeader.Parse(FakeArm64Kernel.Image("6.12.9+bpo-arm64", flags: 0x04 | 0x02 | 0x00, textOffset: 0x80000)).Header!;

        Assert.Equal(64, h.PageSizeKiB);
        Assert.False(h.PlacementAnywhere);
        Assert.Equal(0x80000UL, h.TextOffset);
        Assert.Equal("6.12.9+bpo-arm64", h.Release);
    }

    [Fact]
    public void EmptyFile_IsNotAKernel()
    {
        Assert.Equal("not an arm64 kernel Image: the file is empty", Arm64ImageHeader.Parse([]).Problem);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(0x38)]
    [InlineData(0x3F)]
    public void TruncatedHeader_IsNotAKernel_WithoutThrowing(int length)
    {
        var result = Arm64ImageHeader.Parse(FakeArm64Kernel.Image("6.1.0")[..length]);

        Assert.Null(result.Header);
        Assert.Equal($"not an arm64 kernel Image: {length} bytes is too short for an Image header", result.Problem);
    }

    [Fact]
    public void WrongMagic_IsNotAKernel()
    {
        byte[] image = FakeArm64Kernel.Image("6.1.0");
        image[0x3B] = 0x65; // "ARMe"

        Assert.Equal("not an arm64 kernel Image: no ARM\\x64 magic at 0x38", Arm64ImageHeader.Parse(image).Problem);
    }

    [Fact]
    public void GzipCompressedImage_IsRefusedNamingTheFix()
    {
        Assert.Contains("gzip-compressed kernel", Arm64ImageHeader.Parse([0x1F, 0x8B, 0x08, 0, 0, 0, 0, 0]).Problem);
    }

    [Fact]
    public void NoImageSize_PreLinux317_HasHeaderButIsNotLoadable()
    {
        var result = Arm64ImageHeader.Parse(FakeArm64Kernel.Image("3.16.0", imageSize: 0));

        Assert.NotNull(result.Header);
        Assert.Equal("kexec_file_load cannot load it: its header has no image size (a kernel older than Linux 3.17)", result.Problem);
    }

    [Fact]
    public void BannerWithoutRelease_IsSkipped()
    {
        byte[] image = FakeArm64Kernel.Image("6.1.0");
        "Linux version %s\0"u8.CopyTo(image.AsSpan(0x400));

        Assert.Equal("6.1.0", Arm64ImageHeader.Parse(image).Header!.Release);
    }
}
