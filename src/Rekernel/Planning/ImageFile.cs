using Microsoft.Win32.SafeHandles;

namespace Rekernel.Planning;

/// <summary>A kernel or initrd opened once and checked through its descriptor; later steps use the descriptor, never the path.</summary>
public sealed class ImageFile(string pathInRoot, SafeFileHandle handle, long size) : IDisposable
{
    /// <summary>The path as the machine sees it (inside the root), for messages and plans.</summary>
    public string PathInRoot { get; } = pathInRoot;
    public SafeFileHandle Handle { get; } = handle;
    /// <summary>Size in bytes, read from the open descriptor.</summary>
    public long Size { get; } = size;

    public void Dispose() => Handle.Dispose();
}
