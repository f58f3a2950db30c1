using Rekernel.Discovery;

namespace Rekernel.Tests.Discovery;

public sealed class KernelReleaseTests
{
    [Theory]
    [InlineData("/boot/vmlinuz-6.1.0-53-amd64", "6.1.0-53-amd64")]
    [InlineData("/vmlinuz-5.14.0-362.el9.x86_64", "5.14.0-362.el9.x86_64")]
    [InlineData("bzImage-6.8.0", "6.8.0")]
    [InlineData("Image-6.1.0-53-arm64", "6.1.0-53-arm64")]
    [InlineData("initrd.img-6.1.0-53-amd64", "6.1.0-53-amd64")]
    [InlineData("initramfs-6.5.6-300.fc39.x86_64.img", "6.5.6-300.fc39.x86_64")]
    [InlineData("/boot/vmlinuz-linux", null)]
    [InlineData("vmlinuz-linux-lts", null)]
    [InlineData("vmlinuz-linux-zen", null)]
    [InlineData("vmlinuz-linux-hardened", null)]
    [InlineData("initramfs-linux.img", null)]
    [InlineData("vmlinuz-6.6-x86_64", null)]
    [InlineData("vmlinuz-0-rescue-3f1ed2a4b5c64d7e8f9a0b1c2d3e4f50", null)]
    [InlineData("/EFI/Linux/x.efi", null)]
    [InlineData("intel-ucode.img", null)]
    public void FromFileName_TakesTheReleaseOnlyWhenTheNameCarriesOne(string name, string? expected) =>
        Assert.Equal(expected, KernelRelease.FromFileName(name));
}
