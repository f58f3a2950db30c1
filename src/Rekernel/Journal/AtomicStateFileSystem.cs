using Microsoft.Win32.SafeHandles;
using Rekernel.IO;
using Rekernel.Native;

namespace Rekernel.Journal;

/// <summary>
/// The real file system: write a temporary file beside the target, fsync it, rename it over the target, fsync
/// the directory. A crash at any point leaves the old file or the new one, plus at worst a stray temporary file
/// that the next write removes.
/// </summary>
public sealed class AtomicStateFileSystem : IStateFileSystem
{
    private const string TempMarker = ".tmp-";

    /// <summary>The largest state file read; the journal's record limit keeps it far below.</summary>
    public const int MaxBytes = 16 << 20;
    private readonly Action<string>? _beforeRename;

    public AtomicStateFileSystem() { }

    /// <summary>For tests: <paramref name="beforeRename"/> runs with the temporary path once it is written and synced.</summary>
    internal AtomicStateFileSystem(Action<string> beforeRename)
    {
        _beforeRename = beforeRename;
    }

    public byte[]? ReadFile(string path)
    {
        try
        {
            using SafeFileHandle handle = File.OpenHandle(path);
            return BoundedRead.All(handle, MaxBytes) ?? throw new IOException($"{path} is larger than {MaxBytes >> 20} MiB, far more than {SwitchJournal.MaxRecords} records take");
        }
        catch (FileNotFoundException) { return null; }
        catch (DirectoryNotFoundException) { return null; }
    }

    public void WriteFileAtomically(string path, ReadOnlySpan<byte> content)
    {
        string dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        RemoveStaleTemporaries(path);
        string temp = path + TempMarker + Environment.ProcessId;
        try
        {
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }
        }
        catch (IOException)
        {
            TryDelete(temp);
            throw;
        }
        _beforeRename?.Invoke(temp);
        File.Move(temp, path, overwrite: true);
        FileSyscalls.SyncDirectory(dir);
    }

    /// <summary>Temporary files a crashed earlier write left behind; callers hold the process lock, so none is in use.</summary>
    private static void RemoveStaleTemporaries(string path)
    {
        string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is null || !Directory.Exists(dir)) return;
        foreach (string stale in Directory.EnumerateFiles(dir, Path.GetFileName(path) + TempMarker + "*")) TryDelete(stale);
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
