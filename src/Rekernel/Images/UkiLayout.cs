namespace Rekernel.Images;

/// <summary>Where the kernel and initrd of a Unified Kernel Image lie inside the PE file.</summary>
public sealed record UkiLayout(FileSpan Linux, FileSpan? Initrd);
