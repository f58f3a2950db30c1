namespace Rekernel.Native;

/// <summary>What <c>statx(2)</c> says about a file: owner, type and permission bits, size.</summary>
public readonly record struct FileStatus(uint Uid, ushort Mode, long Size)
{
    private const int TypeMask = 0xF000;

    /// <summary>
    /// The modification time (seconds, nanoseconds): every write and truncation moves it, while renaming the file
    /// or unlinking it does not (unlike the change time).
    /// </summary>
    public (long Seconds, uint Nanoseconds) ModifiedTime { get; init; }

    /// <summary>The inode number; with <see cref="Device"/> it names the file whichever path reached it.</summary>
    public ulong Inode { get; init; }

    /// <summary>The device (major, minor) holding the file.</summary>
    public (uint Major, uint Minor) Device { get; init; }

    /// <summary>The type bits of <see cref="Mode"/> (<c>S_IFMT</c>): 0x8000 a regular file, 0x4000 a directory, ...</summary>
    public int Type => Mode & TypeMask;

    public bool IsRegularFile => (Mode & TypeMask) == 0x8000;
    public bool IsDirectory => (Mode & TypeMask) == 0x4000;
    public bool IsSymbolicLink => (Mode & TypeMask) == 0xA000;

    /// <summary>What kind of file this is, in words for messages.</summary>
    public string Kind => (Mode & TypeMask) switch
    {
        0x8000 => "a regular file",
        0x4000 => "a directory",
        0xA000 => "a symbolic link",
        0x1000 => "a FIFO",
        0x2000 => "a character device",
        0x6000 => "a block device",
        0xC000 => "a socket",
        _ => "an unknown file type",
    };

    /// <summary>Whether a user other than the owner may change it (group- or other-writable).</summary>
    public bool IsWritableByOthers => (Mode & 0b000_010_010) != 0;

    /// <summary>The permission bits in octal, as <c>ls</c> and <c>chmod</c> show them.</summary>
    public string Permissions => Convert.ToString(Mode & 0xFFF, 8).PadLeft(4, '0');
}
