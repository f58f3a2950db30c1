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

    [Fact]
    public void ZbootFixtureWithRealGzipPayload_IsStagedAsTheUncompressedImage_AndNamesItsRelease()
    {
        byte[] zboot = CompressedKernel.Zboot(CompressedKernel.DebianImageGz, "gzip");
        using var tree = new TempBootTree();
        tree.Bytes("/boot/vmlinuz.efi", zboot);

        Assert.Equal("6.1.0-53-cloud-arm64", KernelIdentity.Read(tree.Host("/boot/vmlinuz.efi"), withRelease: true).Release);
        Assert.Equal(RealImageSha256, Sha256(StagedKernel(zboot, "/boot/vmlinuz.efi")));
    }

    [Fact]
    public void ZbootHeader_PayloadAndCompressionAreRead()
    {
        byte[] zboot = CompressedKernel.Zboot(new byte[100], "gzip");

        PackedKernel packed = PackedKernel.Detect(zboot, new FileSpan(0, zboot.Length));

        Assert.Equal(KernelPacking.Zboot, packed.Packing);
        Assert.Equal(new FileSpan(0x1000, 100), packed.Payload);
        Assert.Null(packed.Problem);
    }

    [Fact]
    public void ZstdZboot_IsRefusedSayingWhatWorksInstead()
    {
        byte[] zboot = CompressedKernel.Zboot(CompressedKernel.Zstd(FakeArm64Kernel.Image("6.12.9-arm64")), "zstd");

        Assert.Equal(
            "/boot/Image.gz cannot be staged: it is an EFI zboot image compressed with zstd, which rekernel cannot decompress yet; boot it through the firmware, or install the distribution's uncompressed or gzip Image.",
            Refusal(zboot));
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
            .Check(DebianTree.Entry(), images, staging: true, StagingMethod.Choose(running.KernelConfig, requested: false, "/nonexistent/kexec")));
    }

    [Fact]
    public void GzipOfSomethingElse_FailsPreflightOnArm64()
    {
        using TempBootTree tree = DebianTree.Create();
        tree.Bytes($"/boot/vmlinuz-{DebianTree.Version}", CompressedKernel.Gzip(new byte[4096]));
        using OpenedImages images = OpenedImages.Open(tree.Root, DebianTree.Entry());
        var running = new Rekernel.Machine.RunningSystem(tree.HostPath);

        var ex = Assert.Throws<RekernelException>(() => new Preflight(running, 0, System.Runtime.InteropServices.Architecture.Arm64)
            .Check(DebianTree.Entry(), images, staging: true, StagingMethod.Choose(running.KernelConfig, requested: false, "/nonexistent/kexec")));
        Assert.Equal("/boot/vmlinuz-6.1.0-53-amd64 cannot be staged: not an arm64 kernel Image: no ARM\\x64 magic at 0x38; reinstall the kernel package that owns it.", ex.Message);
    }
}
