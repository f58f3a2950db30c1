namespace Rekernel.Images;

/// <summary>One entry of a PE/COFF section table.</summary>
public readonly record struct PeSection(string Name, uint VirtualAddress, uint VirtualSize, uint PointerToRawData, uint SizeOfRawData)
{
    /// <summary>
    /// The section's bytes in the file. systemd-stub takes <c>VirtualSize</c> as the payload size (objcopy and
    /// ukify set it to the exact size of the added file while <c>SizeOfRawData</c> is padded to the file alignment);
    /// the smaller of the two keeps the span inside what is stored on disk.
    /// </summary>
    public FileSpan Span => new(PointerToRawData, Math.Min(VirtualSize, SizeOfRawData));
}
