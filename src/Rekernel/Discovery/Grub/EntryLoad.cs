namespace Rekernel.Discovery.Grub;

/// <summary>What running a menu entry's body loaded: the last <c>linux</c> and <c>initrd</c> lines win, as in GRUB.</summary>
internal sealed class EntryLoad
{
    public string? Kernel { get; set; }
    public string? Cmdline { get; set; }
    public List<string> Initrds { get; set; } = [];
    /// <summary>Why GRUB's <c>linux</c> command would fail on the kernel path given; null when it would load it.</summary>
    public string? LoadProblem { get; set; }
    /// <summary>A <c>multiboot</c>/<c>multiboot2</c> command and its image (<c>multiboot2 /xen.gz</c>), which kexec cannot start.</summary>
    public string? Multiboot { get; set; }
}
