using Rekernel.Journal;

namespace Rekernel.Tests.Journal;

/// <summary>Reads the real disk; every write fails with the errno the test chooses (ENOSPC, EIO...).</summary>
public sealed class FailingStateFileSystem(int errno, string message) : IStateFileSystem
{
    private readonly AtomicStateFileSystem _real = new();

    public int Writes { get; private set; }

    public byte[]? ReadFile(string path) => _real.ReadFile(path);

    public void WriteFileAtomically(string path, ReadOnlySpan<byte> content)
    {
        Writes++;
        throw new IOException(message, errno);
    }
}
