using System.Diagnostics;
using Rekernel.Cli;
using Rekernel.Discovery;
using Rekernel.Kexec;
using Rekernel.Planning;
using Rekernel.Tests.Cli;
using Rekernel.Tests.Fakes;
using Rekernel.Tests.Planning;
using Rekernel.Operations;

namespace Rekernel.Tests.Hardening;

/// <summary>
/// Boot trees on tmpfs that fight back: FIFOs and device nodes where a kernel or a configuration file should be,
/// files owned or writable by others, and files changed between the check and the load. Everything is refused
/// with a reason, quickly, and what the kernel receives is what was checked.
/// </summary>
public sealed class HostileFileTests
{
    private static readonly string Kernel = $"/boot/vmlinuz-{DebianTree.Version}";
    private static readonly string Initrd = $"/boot/initrd.img-{DebianTree.Version}";

    /// <summary>Runs <paramref name="body"/> on another thread and fails (instead of hanging the run) if it blocks.</summary>
    private static T WithoutBlocking<T>(Func<T> body, string what)
    {
        Task<T> task = Task.Run(body);
        Assert.True(task.Wait(TimeSpan.FromSeconds(5)), $"{what} blocked for 5 s");
        return task.Result;
    }

    private static void Replace(TempBootTree tree, string pathInRoot, params string[] mknod)
    {
        File.Delete(tree.Host(pathInRoot));
        // mkfifo PATH; mknod PATH TYPE MAJOR MINOR
        using Process p = Process.Start(mknod[0], [tree.Host(pathInRoot), .. mknod[1..]])!;
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
    }

    private static string RefusalOpening(TempBootTree tree, BootEntry entry)
    {
        Exception? ex = WithoutBlocking(() => Record.Exception(() => OpenedImages.Open(tree.Root, entry).Dispose()), "opening the images");
        RekernelException refusal = Assert.IsType<RekernelException>(ex);
        Assert.Equal(ExitCode.Refused, refusal.ExitCode);
        return refusal.Message;
    }

    [Theory]
    [InlineData("kernel", "a FIFO", "mkfifo")]
    [InlineData("initrd", "a FIFO", "mkfifo")]
    [InlineData("kernel", "a character device", "mknod", "c", "1", "3")]
    [InlineData("initrd", "a block device", "mknod", "b", "7", "200")]
    public void SpecialFileWhereAnImageShouldBe_IsRefusedWithoutBlocking(string role, string kind, params string[] mknod)
    {
        using TempBootTree tree = DebianTree.Create();
        string path = role == "kernel" ? Kernel : Initrd;
        Replace(tree, path, mknod);
        Assert.Equal($"the {role} {path} is not a regular file ({kind}); point the entry at the real file.", RefusalOpening(tree, DebianTree.Entry()));
    }

    [Theory]
    [InlineData("/boot/grub/grub.cfg")]
    [InlineData("/boot/grub/grubenv")]
    [InlineData("/boot/loader/entries/fifo.conf")]
    [InlineData("/boot/loader/loader.conf")]
    [InlineData("/boot/efi/EFI/Linux/fifo.efi")]
    [InlineData("/boot/vmlinuz-linux")]
    public void FifoWhereDiscoveryReads_DoesNotHangDiscovery(string pathInRoot)
    {
        using TempBootTree tree = DebianTree.Create();
        tree.Text(pathInRoot, "placeholder");
        Replace(tree, pathInRoot, "mkfifo");
        BootInventory inventory = WithoutBlocking(() => BootDiscovery.Discover(tree.Root), $"discovery with a FIFO at {pathInRoot}");
        Assert.Contains(inventory.Entries, e => e.Kernel == Kernel);
    }

    [Fact]
    public void DeviceNodeWhereTheGrubConfigShouldBe_IsNotRead()
    {
        using TempBootTree tree = DebianTree.Create();
        tree.Text("/boot/grub/grub.cfg", "x");
        Replace(tree, "/boot/grub/grub.cfg", "mknod", "c", "1", "5"); // /dev/zero: reading it never ends
        BootInventory inventory = WithoutBlocking(() => BootDiscovery.Discover(tree.Root), "discovery with /dev/zero as grub.cfg");
        Assert.Contains(inventory.Entries, e => e.Kernel == Kernel);
    }

    [Theory]
    [InlineData("kernel", 65534, "644", "owned by uid 65534, not root")]
    [InlineData("initrd", 1000, "644", "owned by uid 1000, not root")]
    [InlineData("kernel", 0, "646", "writable by group or others (mode 0646)")]
    [InlineData("initrd", 0, "660", "writable by group or others (mode 0660)")]
    public void ImageAnotherUserCouldReplace_IsRefused(string role, int uid, string mode, string expected)
    {
        using TempBootTree tree = DebianTree.Create();
        string path = role == "kernel" ? Kernel : Initrd;
        tree.Chmod(path, mode);
        if (uid != 0) tree.Chown(path, uid);
        Assert.Contains(expected, RefusalOpening(tree, DebianTree.Entry()));
    }

    [Fact]
    public void SymlinkToAUserOwnedFileInsideBoot_IsRefused()
    {
        using TempBootTree tree = DebianTree.Create();
        tree.Bytes("/boot/user-kernel", DebianTree.Kernel);
        tree.Chown("/boot/user-kernel", 1000);
        File.CreateSymbolicLink(tree.Host("/boot/vmlinuz-linked"), "user-kernel");
        Assert.Contains("owned by uid 1000", RefusalOpening(tree, DebianTree.Entry() with { Kernel = "/boot/vmlinuz-linked" }));
    }

    [Fact]
    public void KernelTruncatedInPlaceAfterTheCheck_IsRefused_NothingLoaded()
    {
        using TempBootTree tree = DebianTree.Create();
        using var sandbox = new SwitchSandbox();
        var fake = new FakeKexecSystem();
        // The kexec system is created after preflight read the header from the open descriptor: the moment to strike.
        (int code, string err) = RunLoad(tree, sandbox, fake, () => File.WriteAllBytes(tree.Host(Kernel), DebianTree.Kernel[..1024]));
        Assert.Equal((int)ExitCode.Refused, code);
        Assert.Contains($"{Kernel} changed while it was being staged ({DebianTree.Kernel.Length} bytes when checked, 1024 now)", err);
        Assert.DoesNotContain("LoadFile", fake.Calls);
    }

    [Fact]
    public void InitrdGrownInPlaceAfterTheCheck_IsRefused()
    {
        using TempBootTree tree = DebianTree.Create();
        using var sandbox = new SwitchSandbox();
        var fake = new FakeKexecSystem();
        (int code, string err) = RunLoad(tree, sandbox, fake, () => File.AppendAllText(tree.Host(Initrd), "EXTRA"));
        Assert.Equal((int)ExitCode.Refused, code);
        Assert.Contains($"{Initrd} changed while it was being staged", err);
        Assert.False(fake.IsLoaded);
    }

    [Fact]
    public void KernelReplacedByRenameAfterTheCheck_TheCheckedBytesAreLoaded()
    {
        using TempBootTree tree = DebianTree.Create();
        using var sandbox = new SwitchSandbox();
        var fake = new FakeKexecSystem();
        byte[] evil = Images.FakeKernel.Image(Images.FakeKernel.Banner("6.6.6-evil"));
        (int code, string err) = RunLoad(tree, sandbox, fake, () =>
        {
            tree.Bytes("/boot/.new", evil);
            File.Move(tree.Host("/boot/.new"), tree.Host(Kernel), overwrite: true);
            tree.Text("/boot/.new", "EVIL-INITRD");
            File.Move(tree.Host("/boot/.new"), tree.Host(Initrd), overwrite: true);
        });
        Assert.True(code == 0, err);
        Assert.Equal(DebianTree.Kernel, fake.LoadedKernel);
        Assert.Equal("MAIN"u8.ToArray(), fake.LoadedInitrd);
        Assert.Equal(evil, File.ReadAllBytes(tree.Host(Kernel)));
    }

    [Fact]
    public void OpenedImages_TruncatedAfterOpen_EnsureUnchangedRefuses_ReplacedAfterOpen_Passes()
    {
        using TempBootTree tree = DebianTree.Create();
        using (OpenedImages images = OpenedImages.Open(tree.Root, DebianTree.Entry()))
        {
            tree.Bytes("/boot/.new", [1, 2, 3]);
            File.Move(tree.Host("/boot/.new"), tree.Host(Kernel), overwrite: true);
            images.EnsureUnchanged();
            Assert.Equal(DebianTree.Kernel.Length, images.Kernel.Size);
        }
        using (OpenedImages images = OpenedImages.Open(tree.Root, DebianTree.Entry()))
        {
            using (var f = new FileStream(tree.Host(Kernel), FileMode.Open)) f.SetLength(1);
            Assert.Contains("changed while it was being staged", Assert.Throws<RekernelException>(images.EnsureUnchanged).Message);
        }
    }

    private static (int Code, string Err) RunLoad(TempBootTree tree, SwitchSandbox sandbox, FakeKexecSystem fake, Action strike)
    {
        BootEntry target = DebianTree.Entry();
        bool struck = false;
        MachineServices services = sandbox.RunningDebian().ServicesWith(fake) with
        {
            Kexec = _ => { if (!struck) { struck = true; strike(); } return fake; },
            Discover = _ => new BootInventory([target], target, Bootloader.Grub, []),
        };
        var stderr = new StringWriter();
        int code = CliApp.Run(["load", "--root", tree.HostPath], new CliConsole(new StringWriter(), stderr), services);
        return (code, stderr.ToString());
    }
}
