using System.Diagnostics;
using System.Text;
using Microsoft.Win32.SafeHandles;
using Rekernel.IO;
using Rekernel.Native;

namespace Rekernel.Locking;

/// <summary>
/// One rekernel at a time: an exclusive flock(2) on <c>/run/rekernel/lock</c>. The kernel drops the lock when the
/// holder's file descriptor closes, so a lock left by a dead process is free without any clean-up. The holder
/// writes its pid and command into the file so a waiting process can say who it is waiting for.
/// </summary>
public sealed class ProcessLock : IDisposable
{
    public const string DefaultRunDirectory = "/run/rekernel";
    public const string RunDirectoryVariable = "REKERNEL_RUN_DIR";
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>A pid and a command line; anything longer was not written by a rekernel.</summary>
    private const int HolderMaxBytes = 4096;

    private readonly SafeFileHandle _handle;

    private ProcessLock(SafeFileHandle handle, string path)
    {
        _handle = handle;
        Path = path;
    }

    /// <summary>The lock file's path.</summary>
    public string Path { get; }

    /// <summary><c>$REKERNEL_RUN_DIR</c>, else <c>/run/rekernel</c>.</summary>
    public static string RunDirectoryFromEnvironment() =>
        Environment.GetEnvironmentVariable(RunDirectoryVariable) is { Length: > 0 } dir ? dir : DefaultRunDirectory;

    /// <summary>
    /// Takes the lock in <paramref name="runDirectory"/> for <paramref name="command"/> (e.g. "rekernel switch"),
    /// polling up to <paramref name="wait"/> (default 5 s) while another process holds it; then fails with
    /// <see cref="ExitCode.Busy"/> naming the holder.
    /// </summary>
    public static ProcessLock Acquire(string runDirectory, string command, TimeSpan? wait = null)
    {
        string path = System.IO.Path.Join(runDirectory, "lock");
        SafeFileHandle handle = Open(runDirectory, path);
        try
        {
            var waited = Stopwatch.StartNew();
            TimeSpan limit = wait ?? DefaultWait;
            while (true)
            {
                int errno = FlockSyscalls.TryLockExclusive(handle);
                if (errno == 0) break;
                if (errno != Errno.EAGAIN)
                    throw new RekernelException(ExitCode.Refused, $"cannot lock {path} (errno {errno}); check that {runDirectory} is on a local file system.");
                if (waited.Elapsed >= limit) throw Busy(path);
                Thread.Sleep(PollInterval);
            }
            WriteHolder(handle, new LockHolder(Environment.ProcessId, command));
            return new ProcessLock(handle, path);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Who the lock file says holds it (possibly a process that has since exited), or null.</summary>
    public static LockHolder? ReadHolder(string path)
    {
        try
        {
            using SafeFileHandle handle = FlockSyscalls.OpenForReading(path);
            return BoundedRead.All(handle, HolderMaxBytes) is { } bytes ? LockHolder.Parse(Encoding.UTF8.GetString(bytes)) : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Empties the file so a stale holder is never shown, then closes it, which releases the lock.</summary>
    public void Dispose()
    {
        if (_handle.IsClosed) return;
        try { RandomAccess.SetLength(_handle, 0); }
        catch (IOException) { }
        _handle.Dispose();
    }

    private static SafeFileHandle Open(string runDirectory, string path)
    {
        try
        {
            Directory.CreateDirectory(runDirectory);
            return FlockSyscalls.OpenForLocking(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new RekernelException(ExitCode.Refused, $"cannot open the lock file {path}: {ex.Message}; run as root, or set {RunDirectoryVariable} to a writable directory.", ex);
        }
    }

    private static void WriteHolder(SafeFileHandle handle, LockHolder holder)
    {
        RandomAccess.SetLength(handle, 0);
        RandomAccess.Write(handle, Encoding.UTF8.GetBytes(holder.ToFileText()), 0);
    }

    private static RekernelException Busy(string path)
    {
        string who = ReadHolder(path) is { } h ? $"pid {h.Pid}, `{h.Command}`" : "holder unknown";
        return new RekernelException(ExitCode.Busy, $"another rekernel ({who}) holds {path}; wait for it or stop it.");
    }
}
