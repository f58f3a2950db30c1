using Rekernel.Discovery;
using Rekernel.Planning;

namespace Rekernel.Tests.Planning;

public sealed class OpenedImagesTests
{
    private static RekernelException Refusal(TempBootTree tree, BootEntry entry)
    {
        var ex = Assert.Throws<RekernelException>(() => OpenedImages.Open(tree.Root, entry).Dispose());
        Assert.Equal(ExitCode.Refused, ex.ExitCode);
        return ex;
    }

    [Fact]
    public void Debian_RootOwnedFiles_OpenWithSizesFromTheDescriptor()
    {
        using TempBootTree tree = DebianTree.Create();
        using OpenedImages images = OpenedImages.Open(tree.Root, DebianTree.Entry("/boot/intel-ucode.img", $"/boot/initrd.img-{DebianTree.Version}"));
        Assert.Equal(DebianTree.Kernel.Length, images.Kernel.Size);
        Assert.Equal([5L, 4L], images.Initrds.Select(i => i.Size));
        Assert.Equal(DebianTree.Kernel.Length + 9, images.TotalBytes);
    }

    [Fact]
    public void KernelOwnedByUser_IsRefused()
    {
        using TempBootTree tree = DebianTree.Create();
        tree.Chown($"/boot/vmlinuz-{DebianTree.Version}", 1000);
        Assert.Contains("owned by uid 1000", Refusal(tree, DebianTree.Entry()).Message);
    }

    [Fact]
    public void GroupWritableInitrd_IsRefused()
    {
        using TempBootTree tree = DebianTree.Create();
        tree.Chmod($"/boot/initrd.img-{DebianTree.Version}", "664");
        Assert.Contains("writable by group or others (mode 0664)", Refusal(tree, DebianTree.Entry()).Message);
    }

    [Fact]
    public void WorldWritableBootDirectory_IsRefused()
    {
        using TempBootTree tree = DebianTree.Create();
        tree.Chmod("/boot", "777");
        Assert.Contains("the directory /boot holding the kernel", Refusal(tree, DebianTree.Entry()).Message);
    }

    [Fact]
    public void BootDirectoryOwnedByUser_IsRefused()
    {
        using TempBootTree tree = DebianTree.Create();
        tree.Chown("/boot", 1000);
        Assert.Contains("owned by uid 1000", Refusal(tree, DebianTree.Entry()).Message);
    }

    [Fact]
    public void MissingKernel_IsRefused()
    {
        using TempBootTree tree = DebianTree.Create();
        Assert.Contains("does not exist", Refusal(tree, DebianTree.Entry() with { Kernel = "/boot/vmlinuz-9.9" }).Message);
    }

    [Fact]
    public void KernelThatIsADirectory_IsRefused()
    {
        using TempBootTree tree = DebianTree.Create();
        Directory.CreateDirectory(tree.Host("/boot/vmlinuz-dir"));
        Assert.Contains("not a regular file", Refusal(tree, DebianTree.Entry() with { Kernel = "/boot/vmlinuz-dir" }).Message);
    }

    [Fact]
    public void Bls_KernelOutsideTheBootPartition_IsRefused()
    {
        using TempBootTree tree = DebianTree.Create();
        tree.Text("/etc/x", "EVIL");
        BootEntry entry = DebianTree.Entry() with { Source = BootEntrySource.Bls, Kernel = "/etc/x", Origin = "/boot/loader/entries/a.conf:3" };
        Assert.Contains("outside /boot", Refusal(tree, entry).Message);
    }

    [Fact]
    public void SymlinkLeavingBoot_IsRefused()
    {
        using TempBootTree tree = DebianTree.Create();
        tree.Text("/etc/x", "EVIL");
        File.CreateSymbolicLink(tree.Host("/boot/vmlinuz-link"), "/etc/x");
        Assert.Contains("resolves to /etc/x", Refusal(tree, DebianTree.Entry() with { Kernel = "/boot/vmlinuz-link" }).Message);
    }

    [Fact]
    public void SymlinkInsideBoot_IsFollowedOnce()
    {
        using TempBootTree tree = DebianTree.Create();
        File.CreateSymbolicLink(tree.Host("/boot/vmlinuz"), $"vmlinuz-{DebianTree.Version}");
        using OpenedImages images = OpenedImages.Open(tree.Root, DebianTree.Entry() with { Kernel = "/boot/vmlinuz" });
        Assert.Equal(DebianTree.Kernel.Length, images.Kernel.Size);
    }
}
