using Rekernel.Journal;

namespace Rekernel.Tests.Hardening;

/// <summary>
/// A disk that fills up in the middle of a write: the first <see cref="FailAfter"/> writes succeed (atomically, on
/// the real disk), then each write leaves half its bytes in the temporary file beside the target, as a write
/// interrupted by ENOSPC or EIO would, and fails with that errno.
/// </summary>
public sealed class HalfWritingStateFileSystem(int errno, string message) : IStateFileSystem
{
    private readonly AtomicStateFileSystem _real = new();

    public int FailAfter { get; init; }
    public int Writes { get; private set; }

    public byte[]? ReadFile(string path) => _real.ReadFile(path);

    public void WriteFileAtomically(string path, ReadOnlySpan<byte> content)
    {
        if (++Writes <= FailAfter)
        {
            _real.WriteFileAtomically(path, content);
            return;
        }
        File.WriteAllBytes(path + ".tmp-" + Environment.ProcessId, content[..(content.Length / 2)].ToArray());
        throw new IOException(message, errno);
    }
}
