using Rekernel.Discovery;
using Rekernel.Tests.Images;

namespace Rekernel.Tests.Planning;

/// <summary>A Debian-like /boot on tmpfs with two kernels, microcode, and the running system's /proc files.</summary>
public static class DebianTree
{
    public const string Version = "6.1.0-53-amd64";

    /// <summary>The bytes of the newer kernel: a minimal valid bzImage, as preflight reads the header.</summary>
    public static readonly byte[] Kernel = FakeKernel.Image(FakeKernel.Banner(Version));

    /// <summary>
    /// The running machine's files: 6.1.0-47 runs with its config and command line. Unit tests of one step keep
    /// them in the tree; CLI tests put them in the sandbox's machine directory, as the CLI reads the machine there.
    /// </summary>
    public static readonly IReadOnlyList<(string Path, string Content)> MachineFiles =
    [
        ("/boot/config-6.1.0-47-amd64", "CONFIG_KEXEC=y\nCONFIG_KEXEC_FILE=y\n"),
        ("/proc/sys/kernel/osrelease", "6.1.0-47-amd64\n"),
        ("/proc/cmdline", "BOOT_IMAGE=/boot/vmlinuz-6.1.0-47-amd64 root=UUID=abc ro quiet\n"),
        ("/proc/sys/kernel/kexec_load_disabled", "0\n"),
        ("/proc/meminfo", "MemTotal:        4000000 kB\nMemAvailable:    3000000 kB\n"),
    ];

    public static TempBootTree Create()
    {
        var tree = new TempBootTree();
        tree.Bytes($"/boot/vmlinuz-{Version}", Kernel)
            .Text($"/boot/initrd.img-{Version}", "MAIN")
            .Text("/boot/intel-ucode.img", "UCODE")
            .Text("/boot/initrd.img-6.1.0-47-amd64", "OLDINITRD");
        foreach ((string path, string content) in MachineFiles) tree.Text(path, content);
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
