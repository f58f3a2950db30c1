using Rekernel.Discovery;
using Rekernel.Tests.Images;

namespace Rekernel.Tests.Planning;

/// <summary>A Debian-like /boot on tmpfs with two kernels, microcode, and the running system's /proc files.</summary>
public static class DebianTree
{
    public const string Version = "6.1.0-53-amd64";

    /// <summary>The bytes of the newer kernel: a minimal valid bzImage, as preflight reads the header.</summary>
    public static readonly byte[] Kernel = FakeKernel.Image(FakeKernel.Banner(Version));

    public static TempBootTree Create()
    {
        var tree = new TempBootTree();
        tree.Bytes($"/boot/vmlinuz-{Version}", Kernel)
            .Text($"/boot/initrd.img-{Version}", "MAIN")
            .Text("/boot/intel-ucode.img", "UCODE")
            .Text("/boot/initrd.img-6.1.0-47-amd64", "OLDINITRD")
            .Text("/boot/config-6.1.0-47-amd64", "CONFIG_KEXEC=y\nCONFIG_KEXEC_FILE=y\n")
            .Text("/proc/sys/kernel/osrelease", "6.1.0-47-amd64\n")
            .Text("/proc/cmdline", "BOOT_IMAGE=/boot/vmlinuz-6.1.0-47-amd64 root=UUID=abc ro quiet\n")
            .Text("/proc/sys/kernel/kexec_load_disabled", "0\n")
            .Text("/proc/meminfo", "MemTotal:        4000000 kB\nMemAvailable:    3000000 kB\n");
        return tree;
    }

    public static BootEntry Entry(params string[] initrds) => new()
    {
        Id = "debian-53",
        Title = $"Debian GNU/Linux, with Linux {Version}",
        Version = Version,
        Kernel = $"/boot/vmlinuz-{Version}",
        Initrds = initrds.Length == 0 ? [$"/boot/initrd.img-{Version}"] : [.. initrds],
        Source = BootEntrySource.Grub,
    };
}
