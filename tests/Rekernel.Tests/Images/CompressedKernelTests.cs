using System.Buffers.Binary;
using System.Security.Cryptography;
using Rekernel.Discovery;
using Rekernel.Images;
using Rekernel.Kexec;
using Rekernel.Planning;
using Rekernel.Tests.Fakes;
using Rekernel.Tests.Planning;

namespace Rekernel.Tests.Images;

public sealed class CompressedKernelTests
{
    private const string Release = LabKernel.Arm64Release;

    private static BootEntry Entry(string kernel) => new()
    {
        Id = "arm", Title = "Linux", Version = Release, Kernel = kernel, Initrds = [], Source = BootEntrySource.Bls,
    };

    /// <summary>Stages <paramref name="kernel"/> from a tree with the fake system calls; returns what the kernel was given.</summary>
    private static byte[] StagedKernel(byte[] kernel, string name = "/boot/Image.gz")
    {
        using var tree = new TempBootTree();
        tree.Bytes(name, kernel);
        var fake = new FakeKexecSystem();
        using OpenedImages images = OpenedImages.Open(tree.Root, Entry(name));
        using KexecImageSet set = KexecImageSet.Assemble(images, null, fake);
        new Stager(fake).Stage(LoadPlan.For(Entry(name), "ro"), set);
        return fake.LoadedKernel!;
    }

    private static string Sha256(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));

    private static string Refusal(byte[] kernel)
    {
        var ex = Assert.Throws<RekernelException>(() => StagedKernel(kernel));
        Assert.Equal(ExitCode.Refused, ex.ExitCode);
        return ex.Message;
    }

    [Fact]
    public void DebianArm64ImageGz_ReleaseIsReadFromTheDecompressedImage()
    {
        using var tree = new TempBootTree();
        tree.Bytes("/boot/Image.gz", CompressedKernel.DebianImageGz);

        KernelIdentity kernel = KernelIdentity.Read(tree.Host("/boot/Image.gz"), withRelease: true);

        Assert.Null(kernel.Problem);
        Assert.Equal("6.1.0-53-cloud-arm64", kernel.Release);
    }

    [Fact]
    public void DebianArm64ImageGz_IsStagedAsTheUncompressedImage()
    {
        byte[] staged = StagedKernel(CompressedKernel.DebianImageGz);

        Assert.Equal(DebianImageLength, staged.Length);
        Assert.Equal(DebianImageSha256, Sha256(staged));
    }

    /// <summary>sha256sum of Debian's vmlinuz-6.1.0-53-cloud-arm64 (an uncompressed Image, 27,236,288 bytes).</summary>
    private const string DebianImageSha256 = "67aa75a2126f1c0c869e4454cc918c7023d24d5c2bdcb10b99d30137e770bcc9";

    /// <summary>ls -l of Debian's vmlinuz-6.1.0-53-cloud-arm64.</summary>
    private const int DebianImageLength = 27236288;

    /// <summary>A copy of the genuine zboot image (<see cref="LabKernel.Zboot"/>), for a test to damage.</summary>
    private static byte[] GenuineZboot(string compression) => File.ReadAllBytes(LabKernel.Zboot(compression));

    private static PackedKernel Packed(byte[] file) => PackedKernel.Detect(file.AsSpan(0, PackedKernel.HeadLength), new FileSpan(0, file.Length));

    [Theory]
    [InlineData("gzip")]
    [InlineData("zstd")]
    public void GenuineZbootOfDebiansArm64Image_IsStagedAsThatImage_AndNamesItsRelease(string compression)
    {
        using var tree = new TempBootTree();
        tree.Bytes("/boot/vmlinuz.efi", GenuineZboot(compression));

        Assert.Equal("6.1.0-53-cloud-arm64", KernelIdentity.Read(tree.Host("/boot/vmlinuz.efi"), withRelease: true).Release);
        byte[] staged = StagedKernel(GenuineZboot(compression), "/boot/vmlinuz.efi");
        // Linux 6.1's Makefile.zboot compresses the Image as it is (later kernels pad it to its image_size first).
        Assert.Equal(DebianImageLength, staged.Length);
        Assert.Equal(DebianImageSha256, Sha256(staged));
    }

    [Theory]
    [InlineData("gzip", KernelCompression.Gzip, 0)]
    [InlineData("zstd", KernelCompression.Zstd, 4)]
    public void GenuineZbootHeader_FindsThePayloadMakefileZbootWrote(string compression, KernelCompression kind, int appendedLength)
    {
        byte[] zboot = GenuineZboot(compression);
        byte[] written = File.ReadAllBytes(LabKernel.ZbootPayload(compression));

        PackedKernel packed = Packed(zboot);

        Assert.Null(packed.Problem);
        Assert.Equal((KernelPacking.Zboot, kind), (packed.Packing, packed.Compression));
        // zstd's appended length (Makefile.zboot's ZBOOT_SIZE_LEN) follows the payload, outside the header's size.
        Assert.Equal(written.Length - appendedLength, packed.Payload.Length);
        Assert.True(zboot.AsSpan((int)packed.Payload.Offset, written.Length).SequenceEqual(written), "the payload differs from what Makefile.zboot compressed");
    }

    [Fact]
    public void GenuineZstdZbootCutInsideItsAppendedLength_IsTruncated()
    {
        byte[] zboot = GenuineZboot("zstd");
        PackedKernel whole = Packed(zboot);
        byte[] cut = zboot[..(int)(whole.Payload.Offset + whole.Payload.Length + 3)];

        Assert.Equal(
            $"an EFI zboot image whose payload ({whole.Payload.Length} bytes at {whole.Payload.Offset}) lies outside its {cut.Length} bytes (truncated?)",
            Packed(cut).Problem);
    }

    [Fact]
    public void GenuineZstdZbootWhoseHeaderCutsTheFrameShort_IsRefusedAsCorrupt()
    {
        byte[] zboot = GenuineZboot("zstd");
        PackedKernel packed = Packed(zboot);
        int half = (int)packed.Payload.Length / 2;
        BinaryPrimitives.WriteUInt32LittleEndian(zboot.AsSpan(12), (uint)half);
        BinaryPrimitives.WriteUInt32LittleEndian(zboot.AsSpan((int)packed.Payload.Offset + half), DebianImageLength);

        string m = Refusal(zboot);

        Assert.StartsWith("/boot/Image.gz cannot be staged: its compressed kernel is corrupt (", m);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(-1)]
    public void GenuineZstdZbootWhoseLengthWordDisagrees_IsRefusedAsCorrupt(int difference)
    {
        byte[] zboot = GenuineZboot("zstd");
        PackedKernel packed = Packed(zboot);
        BinaryPrimitives.WriteUInt32LittleEndian(zboot.AsSpan((int)(packed.Payload.Offset + packed.Payload.Length)), (uint)(DebianImageLength + difference));

        string m = Refusal(zboot);

        if (difference > 0)
            Assert.Equal($"/boot/Image.gz cannot be staged: its compressed kernel is corrupt (it decompresses to {DebianImageLength} bytes but its length word says {DebianImageLength + 1} (cut short?)); reinstall the kernel package that owns it.", m);
        else
            Assert.StartsWith("/boot/Image.gz cannot be staged: its compressed kernel is corrupt (", m);
    }

    [Fact]
    public void GenuineZbootRelabelledLz4_IsRefusedSayingWhatWorksInstead()
    {
        byte[] zboot = GenuineZboot("gzip");
        "lz4\0\0\0\0\0"u8.CopyTo(zboot.AsSpan(24));

        Assert.Equal(
            "/boot/Image.gz cannot be staged: it is an EFI zboot image compressed with \"lz4\", which rekernel cannot decompress (it reads gzip and zstd); install the distribution's uncompressed or gzip Image.",
            Refusal(zboot));
    }

    [Fact]
    public void GenuineZbootCutInHalf_IsRefusedAsTruncated()
    {
        byte[] zboot = GenuineZboot("gzip");

        Assert.Contains("cannot be staged: it is an EFI zboot image whose payload", Refusal(zboot[..(zboot.Length / 2)]));
    }

    [Fact]
    public void GenuineZboot_IsNoArm64ImageItself()
    {
        Assert.Equal(
            "an EFI zboot kernel (compressed), not an arm64 Image: kexec_file_load needs the uncompressed Image",
            Arm64ImageHeader.ReadFile(LabKernel.Zboot("gzip")).Problem);
    }

    [Fact]
    public void TruncatedImageGz_IsRefusedBeforeAnythingIsUnloaded()
    {
        byte[] gz = CompressedKernel.Gzip(FakeArm64Kernel.Image("6.1.0") is var image ? [.. image, .. new byte[1 << 16].Select((_, i) => (byte)(i * 7))] : []);

        string m = Refusal(gz[..(gz.Length / 2)]);

        Assert.StartsWith("/boot/Image.gz cannot be staged: its compressed kernel is corrupt (", m);
        Assert.EndsWith("); reinstall the kernel package that owns it.", m);
    }

    [Fact]
    public void GzipArm64Kernel_PassesPreflightOnArm64_CheckedDecompressed()
    {
        using TempBootTree tree = DebianTree.Create();
        tree.Bytes($"/boot/vmlinuz-{DebianTree.Version}", CompressedKernel.Gzip(FakeArm64Kernel.Image(DebianTree.Version)));
        using OpenedImages images = OpenedImages.Open(tree.Root, DebianTree.Entry());
        var running = new Rekernel.Machine.RunningSystem(tree.HostPath);

        Assert.Empty(new Preflight(running, 0, System.Runtime.InteropServices.Architecture.Arm64)
            .Check(DebianTree.Entry(), images, staging: true, StagingMethod.Choose(running.KernelConfig, requested: false, "/nonexistent/kexec", hasFileLoad: () => true)));
    }

    [Fact]
    public void GzipOfSomethingElse_FailsPreflightOnArm64()
    {
        using TempBootTree tree = DebianTree.Create();
        tree.Bytes($"/boot/vmlinuz-{DebianTree.Version}", CompressedKernel.Gzip(new byte[4096]));
        using OpenedImages images = OpenedImages.Open(tree.Root, DebianTree.Entry());
        var running = new Rekernel.Machine.RunningSystem(tree.HostPath);

        var ex = Assert.Throws<RekernelException>(() => new Preflight(running, 0, System.Runtime.InteropServices.Architecture.Arm64)
            .Check(DebianTree.Entry(), images, staging: true, StagingMethod.Choose(running.KernelConfig, requested: false, "/nonexistent/kexec", hasFileLoad: () => true)));
        Assert.Equal("/boot/vmlinuz-6.1.0-53-amd64 cannot be staged: not an arm64 kernel Image: no ARM\\x64 magic at 0x38; reinstall the kernel package that owns it.", ex.Message);
    }
}
