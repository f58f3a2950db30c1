namespace Rekernel.Images;

/// <summary>A byte range inside a file.</summary>
public readonly record struct FileSpan
{
    public FileSpan(long offset, long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Offset = offset;
        Length = length;
    }

    public long Offset { get; }
    public long Length { get; }
}
