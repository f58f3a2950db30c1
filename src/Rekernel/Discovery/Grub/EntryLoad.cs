namespace Rekernel.Discovery.Grub;

/// <summary>What running a menu entry's body loaded: the last <c>linux</c> and <c>initrd</c> lines win, as in GRUB.</summary>
internal sealed class EntryLoad
{
    public string? Kernel { get; set; }
    public string? Cmdline { get; set; }
    public List<string> Initrds { get; set; } = [];
}
