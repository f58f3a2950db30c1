namespace Rekernel.Discovery;

/// <summary>The boot layout an entry was read from.</summary>
public enum BootEntrySource
{
    /// <summary>Boot Loader Specification type #1 (<c>loader/entries/*.conf</c>).</summary>
    Bls,
    /// <summary>A GRUB 2 <c>menuentry</c>.</summary>
    Grub,
    /// <summary>A kernel file in <c>/boot</c> that no bootloader entry references.</summary>
    BootDir,
    /// <summary>A Unified Kernel Image (BLS type #2) in <c>EFI/Linux</c>.</summary>
    Uki,
}
