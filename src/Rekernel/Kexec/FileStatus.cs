namespace Rekernel.Kexec;

/// <summary>What <c>statx(2)</c> says about a file: owner, type and permission bits, size.</summary>
public readonly record struct FileStatus(uint Uid, ushort Mode, long Size)
{
    private const int TypeMask = 0xF000;

    public bool IsRegularFile => (Mode & TypeMask) == 0x8000;
    public bool IsDirectory => (Mode & TypeMask) == 0x4000;
    public bool IsSymbolicLink => (Mode & TypeMask) == 0xA000;

    /// <summary>Whether a user other than the owner may change it (group- or other-writable).</summary>
    public bool IsWritableByOthers => (Mode & 0b000_010_010) != 0;

    /// <summary>The permission bits in octal, as <c>ls</c> and <c>chmod</c> show them.</summary>
    public string Permissions => Convert.ToString(Mode & 0xFFF, 8).PadLeft(4, '0');
}
