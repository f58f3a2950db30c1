namespace Rekernel.Journal;

/// <summary>
/// The two file operations the journal needs; a seam so tests can make the disk full or fail mid-write.
/// Failures surface as <see cref="IOException"/> or <see cref="UnauthorizedAccessException"/>.
/// </summary>
public interface IStateFileSystem
{
    /// <summary>The whole file, or null when it does not exist.</summary>
    byte[]? ReadFile(string path);

    /// <summary>Replaces the file so that a reader sees either the old content or the new, never a mix.</summary>
    void WriteFileAtomically(string path, ReadOnlySpan<byte> content);
}
