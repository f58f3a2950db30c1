using Rekernel.Discovery;
using Rekernel.Planning;
using Rekernel.Tests.Images;
using Rekernel.Tests.Planning;

namespace Rekernel.Tests.Hardening;

/// <summary>
/// Configuration that tries to make rekernel read or boot files outside the root it was given: <c>..</c> in
/// entries, absolute and relative symbolic links leaving the tree, link loops. A canary directory beside the root
/// holds a kernel, entries and GRUB files marked CANARY: none may show up, and their access times prove none was read.
/// </summary>
public sealed class ConfinementTests : IDisposable
{
    private static readonly DateTime LongAgo = new(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private readonly TempBootTree _tree = DebianTree.Create();
    private readonly string _outside;
    private readonly string _outsideName;
    private List<string> _canary = [];

    public ConfinementTests()
    {
        _outsideName = "rekernel-canary-" + Guid.NewGuid().ToString("N");
        _outside = Path.Join(Path.GetDirectoryName(_tree.HostPath)!, _outsideName);
        Directory.CreateDirectory(Path.Join(_outside, "loader", "entries"));
        File.WriteAllBytes(Path.Join(_outside, "vmlinuz"), FakeKernel.Image(FakeKernel.Banner("9.9.9-CANARY")));
        File.WriteAllText(Path.Join(_outside, "initrd"), "CANARY-INITRD");
        File.WriteAllText(Path.Join(_outside, "grub.cfg"), "menuentry 'CANARY' { linux /vmlinuz CANARY }\n");
        File.WriteAllText(Path.Join(_outside, "grubenv"), "kernelopts=CANARY\nsaved_entry=CANARY\n");
        File.WriteAllText(Path.Join(_outside, "loader", "entries", "canary.conf"), "title CANARY\nlinux /vmlinuz\noptions CANARY\n");
        File.WriteAllText(Path.Join(_outside, "os-release"), "PRETTY_NAME=CANARY\n");
    }

    public void Dispose()
    {
        _tree.Dispose();
        Directory.Delete(_outside, recursive: true);
    }

    private string Out(string name) => Path.Join(_outside, name);

    /// <summary>Every file and directory of the canary, with its access time set to long ago (relatime then records any read).</summary>
    private void ArmCanary()
    {
        // Listed once, before arming: listing a directory is itself a read that moves its access time.
        _canary = [.. Directory.EnumerateFileSystemEntries(_outside, "*", SearchOption.AllDirectories).Append(_outside)];
        foreach (string path in _canary)
        {
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow);
            File.SetLastAccessTimeUtc(path, LongAgo);
        }
    }

    private void AssertCanaryUntouched()
    {
        Assert.NotEmpty(_canary);
        foreach (string path in _canary)
            Assert.True(File.GetLastAccessTimeUtc(path) == LongAgo, $"{path} outside the root was read");
    }

    private void Link(string pathInRoot, string target)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_tree.Host(pathInRoot))!);
        File.CreateSymbolicLink(_tree.Host(pathInRoot), target);
    }

    private void BuildHostileTree()
    {
        string up = string.Concat(Enumerable.Repeat("../", 12));
        _tree.Text("/boot/loader/entries/dotdot.conf", $"title dotdot\nlinux /../../{_outsideName}/vmlinuz\ninitrd /../../../{_outsideName}/initrd\n")
            .Text("/boot/loader/entries/abs-link.conf", "title abs\nlinux /vmlinuz-abs\ninitrd /initrd-abs\n")
            .Text("/boot/loader/entries/rel-link.conf", "title rel\nlinux /vmlinuz-rel\n")
            .Text("/boot/loader/entries/loop.conf", "title loop\nlinux /loop-a\ninitrd /self\n")
            .Text("/boot/loader/entries/ok.conf", $"title ok\nlinux /vmlinuz-{DebianTree.Version}\ninitrd /initrd.img-{DebianTree.Version}\noptions $kernelopts\n")
            .Text("/boot/grub/grub.cfg",
                $"load_env -f /../../{_outsideName}/grubenv\n" +
                $"load_env -f {Out("grubenv")}\n" +
                $"source /../../../{_outsideName}/grub.cfg\n" +
                $"source {Out("grub.cfg")}\n" +
                $"source (hd0,gpt2){up}{_outsideName}/grub.cfg\n" +
                $"if [ -f {Out("vmlinuz")} ]; then set default=CANARY; fi\n" +
                $"menuentry 'evil-dotdot' {{ linux /../../../{_outsideName}/vmlinuz; initrd {up}{_outsideName}/initrd }}\n" +
                $"menuentry 'evil-abs' {{ linux {Out("vmlinuz")}; initrd {Out("initrd")} }}\n" +
                "menuentry 'evil-loop' { linux /boot/loop-a }\n" +
                $"menuentry 'ok' {{ linux /boot/vmlinuz-{DebianTree.Version} root=/dev/vda }}\n" +
                "blscfg\n" +
                $"configfile {up}{_outsideName}/grub.cfg\n");
        Link("/boot/vmlinuz-abs", Out("vmlinuz"));
        Link("/boot/initrd-abs", Out("initrd"));
        Link("/boot/vmlinuz-rel", up + _outsideName + "/vmlinuz");
        Link("/boot/loop-a", "loop-b");
        Link("/boot/loop-b", "/boot/loop-a");
        Link("/boot/self", "self");
        Link("/boot/loader/entries/canary-link.conf", Out("loader/entries/canary.conf"));
        Link("/boot/grub/grubenv", Out("grubenv"));
        Link("/efi", _outside);
        Link("/boot/efi", up + _outsideName);
        Link("/vmlinuz", Out("vmlinuz"));
        Link("/etc/os-release", Out("os-release"));
    }

    [Fact]
    public void HostileEntriesAndLinks_NeverLeadOutsideTheRoot_AndNothingOutsideIsRead()
    {
        BuildHostileTree();
        ArmCanary();

        BootInventory inventory = BootDiscovery.Discover(_tree.Root);

        Assert.Contains(inventory.Entries, e => e.Title == "ok");
        foreach (BootEntry e in inventory.Entries)
        {
            string all = string.Join('|', e.Id, e.Title, e.Version, e.Cmdline, e.Kernel, string.Join(',', e.Initrds));
            Assert.DoesNotContain("CANARY", all);
            foreach (string path in e.Initrds.Prepend(e.Kernel))
            {
                if (_tree.Root.ResolveInRoot(path) is not { } resolved) continue;
                Assert.StartsWith(_tree.HostPath + "/", _tree.Root.ToHost(resolved));
                Assert.DoesNotContain(_outsideName, _tree.Root.ToHost(resolved));
            }
        }
        Assert.DoesNotContain(inventory.Diagnostics, d => d.Message.Contains("CANARY", StringComparison.Ordinal));
        Assert.NotEqual("CANARY", inventory.Default?.Title);
        AssertCanaryUntouched();
    }

    [Fact]
    public void StagingAnyDiscoveredEntry_OpensOnlyFilesInsideTheRoot()
    {
        BuildHostileTree();
        ArmCanary();
        BootInventory inventory = BootDiscovery.Discover(_tree.Root);
        int opened = 0;
        foreach (BootEntry e in inventory.Entries)
        {
            try
            {
                using OpenedImages images = OpenedImages.Open(_tree.Root, e);
                foreach (ImageFile f in images.Initrds.Prepend(images.Kernel))
                {
                    string target = File.ResolveLinkTarget($"/proc/self/fd/{f.Handle.DangerousGetHandle()}", returnFinalTarget: false)!.FullName;
                    Assert.StartsWith(_tree.HostPath + "/", target);
                }
                opened++;
            }
            catch (RekernelException ex)
            {
                Assert.Equal(ExitCode.Refused, ex.ExitCode);
            }
        }
        Assert.True(opened > 0);
        AssertCanaryUntouched();
    }

    // The canary only proves something if this file system records reads (relatime, as tmpfs on /dev/shm does).
    [Fact]
    public void Canary_DetectsAReadOutsideTheRoot()
    {
        ArmCanary();
        _ = File.ReadAllBytes(Out("grubenv"));
        Assert.NotEqual(LongAgo, File.GetLastAccessTimeUtc(Out("grubenv")));
    }

    [Fact]
    public void ResolveInRoot_LinkLoopsAndDotDot_StayInsideOrResolveToNothing()
    {
        BuildHostileTree();
        Assert.Null(_tree.Root.ResolveInRoot("/boot/loop-a"));
        Assert.Null(_tree.Root.ResolveInRoot("/boot/self"));
        Assert.Null(_tree.Root.ResolveInRoot("/boot/vmlinuz-abs"));
        Assert.Null(_tree.Root.ResolveInRoot("/boot/vmlinuz-rel"));
        Assert.Equal($"/boot/vmlinuz-{DebianTree.Version}", _tree.Root.ResolveInRoot($"/../../../boot/../boot/./vmlinuz-{DebianTree.Version}"));
        Assert.Null(_tree.Root.ResolveInRoot("/efi/.."));
        Assert.Equal("/", _tree.Root.ResolveInRoot("/boot/../../.."));
    }
}
