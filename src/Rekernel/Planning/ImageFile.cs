using Microsoft.Win32.SafeHandles;
using Rekernel.Native;

namespace Rekernel.Planning;

/// <summary>A kernel or initrd opened once and checked through its descriptor; later steps use the descriptor, never the path.</summary>
public sealed class ImageFile(string pathInRoot, SafeFileHandle handle, long size) : IDisposable
{
    internal ImageFile(string pathInRoot, SafeFileHandle handle, FileStatus status) : this(pathInRoot, handle, status.Size)
    {
        _checked = status;
    }

    private readonly FileStatus? _checked;

    /// <summary>The path as the machine sees it (inside the root), for messages and plans.</summary>
    public string PathInRoot { get; } = pathInRoot;
    public SafeFileHandle Handle { get; } = handle;
    /// <summary>Size in bytes, read from the open descriptor.</summary>
    public long Size { get; } = size;

    /// <summary>
    /// Refuses when the file was written, truncated or grown in place since it was opened and checked: the
    /// descriptor is the same inode, so the kernel would read the changed bytes. (A file replaced by rename is
    /// harmless: the descriptor still holds the original.)
    /// </summary>
    public void EnsureUnchanged()
    {
        if (_checked is not { } before) return;
        FileStatus? now = FileSyscalls.Stat(Handle, out _);
        if (now is not { } after || after.Size != before.Size || after.ModifiedTime != before.ModifiedTime)
            ThrowHelper.Refuse($"{PathInRoot} changed while it was being staged ({before.Size} bytes when checked, {now?.Size.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"} now); retry once package updates have finished.");
    }

    public void Dispose() => Handle.Dispose();
}
