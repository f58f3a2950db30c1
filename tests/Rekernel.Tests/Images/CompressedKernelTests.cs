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

    private static string RealImageSha256 => Sha256(File.ReadAllBytes(LabKernel.Arm64Vmlinuz));

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

        Assert.Equal(27236288, staged.Length); // ls -l vmlinuz-6.1.0-53-cloud-arm64
        Assert.Equal(RealImageSha256, Sha256(staged));
    }

    /// <summary>sha256sum of Debian's vmlinuz-6.1.0-53-cloud-arm64 (an uncompressed Image, 27,236,288 bytes).</summary>
    private const string DebianImageSha256 = "67aa75a2126f1c0c869e4454cc918c7023d24d5c2bdcb10b99d30137e770bcc9";

    /// <summary>
    /// sha256sum of that Image after Makefile.zboot's <c>truncate -s 27918336</c> (its image_size: BSS included),
    /// what a zboot image of it holds and decompresses to.
    /// </summary>
    private const string DebianZbootBinSha256 = "7cf28f93063fa2be89f8c93d0e468c434476800a8e626cec5c8910cb66c175d0";

    [Theory]
    [InlineData("gzip")]
    [InlineData("zstd22")]
    public void ZbootOfDebiansArm64Image_IsStagedAsTheImageMakefileZbootCompressed_AndNamesItsRelease(string compression)
    {
        byte[] zboot = compression == "gzip" ? CompressedKernel.DebianGzipZboot : CompressedKernel.DebianZstdZboot;
        using var tree = new TempBootTree();
        tree.Bytes("/boot/vmlinuz.efi", zboot);

        Assert.Equal("6.1.0-53-cloud-arm64", KernelIdentity.Read(tree.Host("/boot/vmlinuz.efi"), withRelease: true).Release);
        byte[] staged = StagedKernel(zboot, "/boot/vmlinuz.efi");
        Assert.Equal(27918336, staged.Length);
        Assert.Equal(DebianZbootBinSha256, Sha256(staged));
        Assert.Equal(DebianImageSha256, Sha256(staged[..27236288]));
    }

    [Fact]
    public void ZbootHeader_PayloadAndCompressionAreRead()
    {
        byte[] zboot = CompressedKernel.Zboot(new byte[100], "gzip");

        PackedKernel packed = PackedKernel.Detect(zboot, new FileSpan(0, zboot.Length));

        Assert.Equal(new PackedKernel(KernelPacking.Zboot, new FileSpan(0x1000, 100), KernelCompression.Gzip), packed);
    }

    [Fact]
    public void ZstdZbootHeader_SizeLeavesOutTheAppendedLength()
    {
        byte[] zboot = CompressedKernel.Zboot(new byte[100], "zstd22", appendedLength: 4096);

        Assert.Equal(new PackedKernel(KernelPacking.Zboot, new FileSpan(0x1000, 100), KernelCompression.Zstd), PackedKernel.Detect(zboot, new FileSpan(0, zboot.Length)));
        // A file that ends inside the appended length word is cut short.
        Assert.Equal("an EFI zboot image whose payload (100 bytes at 4096) lies outside its 4199 bytes (truncated?)",
            PackedKernel.Detect(zboot, new FileSpan(0, 0x1000 + 100 + 3)).Problem);
    }

    [Fact]
    public void ZstdZbootCutShortInsideItsFrame_IsRefusedAsCorrupt()
    {
        byte[] bin = CompressedKernel.ZbootVmlinuxBin(FakeArm64Kernel.Image("6.12.9-arm64"));
        byte[] frame = CompressedKernel.Zstd22(bin);

        string m = Refusal(CompressedKernel.Zboot(frame[..(frame.Length / 2)], "zstd22", (uint)bin.Length));

        Assert.StartsWith("/boot/Image.gz cannot be staged: its compressed kernel is corrupt (", m);
    }

    [Fact]
    public void ZstdZbootWhoseAppendedLengthDisagrees_IsRefusedAsCorrupt()
    {
        byte[] bin = CompressedKernel.ZbootVmlinuxBin(FakeArm64Kernel.Image("6.12.9-arm64"));

        string m = Refusal(CompressedKernel.Zboot(CompressedKernel.Zstd22(bin), "zstd22", (uint)bin.Length + 1));

        Assert.Equal($"/boot/Image.gz cannot be staged: its compressed kernel is corrupt (it decompresses to {bin.Length} bytes but its length word says {bin.Length + 1} (cut short?)); reinstall the kernel package that owns it.", m);
    }

    [Fact]
    public void Lz4Zboot_IsRefusedSayingWhatWorksInstead()
    {
        Assert.Equal(
            "/boot/Image.gz cannot be staged: it is an EFI zboot image compressed with \"lz4\", which rekernel cannot decompress (it reads gzip and zstd); install the distribution's uncompressed or gzip Image.",
            Refusal(CompressedKernel.Zboot(new byte[64], "lz4")));
    }

    [Fact]
    public void ZbootWhosePayloadRunsPastTheFile_IsRefused()
    {
        byte[] zboot = CompressedKernel.Zboot(CompressedKernel.Gzip(FakeArm64Kernel.Image("6.1.0")), "gzip");

        Assert.Contains("cannot be staged: it is an EFI zboot image whose payload", Refusal(zboot[..0x1010]));
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
