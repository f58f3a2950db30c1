using CsCheck;
using System.Buffers.Binary;
using Rekernel.Images;

namespace Rekernel.Tests.Images;

public sealed class BzImageHeaderTests
{
    [Fact]
    public void RealKernel_Debian61Cloud_HeaderIsKexecLoadableWithItsRelease()
    {
        BzImageParseResult result = BzImageHeader.ReadFile(LabKernel.Vmlinuz);

        Assert.True(result.IsValid, result.Problem);
        Assert.StartsWith("6.1.0-53-cloud-amd64 (debian-kernel@lists.debian.org)", result.Header!.KernelVersion);
        Assert.Equal("6.1.0-53-cloud-amd64", result.Header.Release);
        Assert.Equal("2.15", result.Header.ProtocolText);
    }

    [Fact]
    public void FakeKernel_DebianBanner_GivesReleaseAsFirstWord()
    {
        var result = BzImageHeader.Parse(FakeKernel.Image("6.1.0-53-cloud-amd64 (debian-kernel@lists.debian.org) #1 SMP PREEMPT_DYNAMIC Debian 6.1.187-1"));

        Assert.True(result.IsValid, result.Problem);
        Assert.Equal("6.1.0-53-cloud-amd64", result.Header!.Release);
        Assert.Equal(FakeKernel.SetupSectors, result.Header.SetupSectors);
        Assert.Equal((FakeKernel.SetupSectors + 1) * 512, result.Header.SetupLength);
    }

    [Fact]
    public void EmptyFile_IsNotAKernel()
    {
        var result = BzImageHeader.Parse([]);

        Assert.False(result.IsValid);
        Assert.Null(result.Header);
        Assert.Equal("not a Linux kernel image: the file is empty", result.Problem);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(0x1FF)]
    [InlineData(0x205)]
    [InlineData(0x23F)]
    public void TruncatedHeader_IsNotAKernel_WithoutThrowing(int length)
    {
        var result = BzImageHeader.Parse(FakeKernel.Image(FakeKernel.Banner("6.1.0"))[..length]);

        Assert.Null(result.Header);
        Assert.Contains("too short", result.Problem);
    }

    [Fact]
    public void TextFile_HasNoHdrSMagic()
    {
        var result = BzImageHeader.Parse(new byte[4096]);

        Assert.Equal("not a Linux kernel image: no HdrS magic", result.Problem);
    }

    [Fact]
    public void MissingBootFlag_IsNotAKernel()
    {
        byte[] image = FakeKernel.Image(FakeKernel.Banner("6.1.0"));
        image[0x1FE] = 0;

        Assert.Equal("not a Linux kernel image: no 0xAA55 boot flag", BzImageHeader.Parse(image).Problem);
    }

    [Fact]
    public void ProtocolOlderThan212_IsAKernelThatKexecFileRefuses()
    {
        var result = BzImageHeader.Parse(FakeKernel.Image(FakeKernel.Banner("3.2.0"), protocol: 0x020A));

        Assert.False(result.IsValid);
        Assert.Equal("3.2.0", result.Header!.Release);
        Assert.Contains("boot protocol 2.10 is older than 2.12", result.Problem);
    }

    [Fact]
    public void Kernel32Bit_IsRefusedForMissingXlfKernel64()
    {
        var result = BzImageHeader.Parse(FakeKernel.Image(FakeKernel.Banner("6.1.0-686"), xloadFlags: 0));

        Assert.NotNull(result.Header);
        Assert.Contains("XLF_KERNEL_64", result.Problem);
    }

    [Fact]
    public void KernelThatCannotLoadAbove4G_IsRefused()
    {
        var result = BzImageHeader.Parse(FakeKernel.Image(FakeKernel.Banner("6.1.0"), xloadFlags: 0x01));

        Assert.Contains("XLF_CAN_BE_LOADED_ABOVE_4G", result.Problem);
    }

    [Fact]
    public void ZImage_WithoutLoadedHigh_IsRefused()
    {
        var result = BzImageHeader.Parse(FakeKernel.Image(FakeKernel.Banner("2.6.0"), loadFlags: 0));

        Assert.Contains("LOADED_HIGH", result.Problem);
    }

    [Fact]
    public void ImageCutInsideItsSetup_IsTruncated()
    {
        byte[] image = FakeKernel.Image(FakeKernel.Banner("6.1.0"));
        var result = BzImageHeader.Parse(image.AsSpan(0, 2048));

        Assert.Equal("6.1.0", result.Header!.Release);
        Assert.Contains("truncated", result.Problem);
    }

    [Fact]
    public void VersionPointerPastTheBuffer_LeavesVersionUnknown()
    {
        byte[] image = FakeKernel.Image(FakeKernel.Banner("6.1.0"));
        BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(0x20E), 0xFFF0);

        var result = BzImageHeader.Parse(image);

        Assert.True(result.IsValid, result.Problem);
        Assert.Null(result.Header!.KernelVersion);
        Assert.Null(result.Header.Release);
    }

    [Fact]
    public void UnterminatedOrBinaryVersion_LeavesVersionUnknown()
    {
        byte[] image = FakeKernel.Image(FakeKernel.Banner("6.1.0"));
        image[0x401] = 0x07;

        Assert.Null(BzImageHeader.Parse(image).Header!.KernelVersion);
    }

    [Fact]
    public void PrefixOfAFile_UsesTheFileLengthForTheTruncationCheck()
    {
        byte[] image = FakeKernel.Image(FakeKernel.Banner("6.1.0"));

        var result = BzImageHeader.Parse(image.AsSpan(0, 0x300), fileLength: 50_000_000);

        Assert.True(result.IsValid, result.Problem);
        Assert.Null(result.Header!.KernelVersion); // the banner lies beyond the prefix
    }

    [Fact]
    public void KernelInsideALargerFile_IsReadAtItsOffset()
    {
        byte[] kernel = FakeKernel.Image(FakeKernel.Banner("6.6.1-arch1-1"));
        byte[] file = new byte[1000 + kernel.Length + 500];
        kernel.CopyTo(file, 1000);

        var result = BzImageHeader.Read(new MemoryStream(file), 1000, kernel.Length);

        Assert.True(result.IsValid, result.Problem);
        Assert.Equal("6.6.1-arch1-1", result.Header!.Release);
    }

    [Fact]
    public void MissingFile_IsAReasonNotAnException()
    {
        var result = BzImageHeader.ReadFile("/nonexistent/vmlinuz");

        Assert.StartsWith("cannot read the kernel image", result.Problem);
    }

    [Fact]
    public void RandomBytes_NeverThrow()
    {
        Gen.Byte.Array[0, 2048].Sample(bytes => { _ = BzImageHeader.Parse(bytes); });
        // Mutations of a valid header reach the deeper checks.
        byte[] valid = FakeKernel.Image(FakeKernel.Banner("6.1.0"));
        Gen.Select(Gen.Int[0, valid.Length - 1], Gen.Byte, Gen.Int[0, valid.Length]).Sample((at, value, cut) =>
        {
            byte[] copy = (byte[])valid.Clone();
            copy[at] = value;
            _ = BzImageHeader.Parse(copy.AsSpan(0, cut));
        });
    }
}
