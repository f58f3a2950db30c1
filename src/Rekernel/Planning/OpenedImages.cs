using System.Collections.Immutable;
using Rekernel.Discovery;
using Rekernel.Native;

namespace Rekernel.Planning;

/// <summary>
/// The files of one boot entry, each resolved inside the root and opened ONCE (<c>O_NOFOLLOW|O_CLOEXEC</c>);
/// ownership and permissions are checked on the open descriptor, so a file swapped after the check is never
/// the one staged. Anything unsafe refuses (<see cref="ExitCode.Refused"/>): a kernel that any non-root user can
/// replace would let that user run code as the kernel.
/// </summary>
public sealed class OpenedImages : IDisposable
{
    private OpenedImages(ImageFile kernel, ImmutableArray<ImageFile> initrds)
    {
        Kernel = kernel;
        Initrds = initrds;
    }

    public ImageFile Kernel { get; }
    public ImmutableArray<ImageFile> Initrds { get; }

    /// <summary>Bytes the kernel will copy into memory: kernel (or a UKI's sections) plus every initrd.</summary>
    public long TotalBytes => Kernel.Size + Initrds.Sum(i => i.Size);

    public static OpenedImages Open(BootRoot root, BootEntry entry)
    {
        string partition = BootPartition.Of(entry);
        var opened = new List<ImageFile>();
        try
        {
            opened.Add(OpenChecked(root, entry.Kernel, "kernel", partition));
            foreach (string initrd in entry.Initrds) opened.Add(OpenChecked(root, initrd, "initrd", partition));
            return new OpenedImages(opened[0], [.. opened.Skip(1)]);
        }
        catch
        {
            foreach (ImageFile f in opened) f.Dispose();
            throw;
        }
    }

    /// <summary>Refuses when any file was changed in place since it was opened (see <see cref="ImageFile.EnsureUnchanged"/>).</summary>
    public void EnsureUnchanged()
    {
        Kernel.EnsureUnchanged();
        foreach (ImageFile f in Initrds) f.EnsureUnchanged();
    }

    public void Dispose()
    {
        Kernel.Dispose();
        foreach (ImageFile f in Initrds) f.Dispose();
    }

    private static ImageFile OpenChecked(BootRoot root, string pathInRoot, string role, string partition)
    {
        string resolved = root.ResolveInRoot(pathInRoot)
            ?? throw Refusal($"the {role} {pathInRoot} does not exist; reinstall the kernel package or pick another entry.");
        if (!BootPartition.Contains(partition, resolved))
            throw Refusal($"the {role} {pathInRoot} resolves to {resolved}, outside {partition} where the boot entry lives; a bootloader could not load it, so fix the entry.");
        string host = root.ToHost(resolved);
        // Checked before the open too: opening a FIFO would wait for a writer, and opening some devices (a
        // watchdog) has effects of its own.
        if (FileSyscalls.Stat(host, out int errno) is { IsRegularFile: false } before)
            throw NotRegular(role, pathInRoot, before);
        var handle = FileSyscalls.OpenNoFollow(host, out errno)
            ?? throw Refusal($"cannot open the {role} {pathInRoot} ({Errno.Name(errno)}); check that it is readable by root.");
        try
        {
            FileStatus status = FileSyscalls.Stat(handle, out errno)
                ?? throw Refusal($"cannot read the status of the {role} {pathInRoot} ({Errno.Name(errno)}).");
            if (!status.IsRegularFile) throw NotRegular(role, pathInRoot, status);
            if (status.Uid != 0) throw Refusal($"the {role} {pathInRoot} is owned by uid {status.Uid}, not root; a non-root user could replace it, so run 'chown root: {pathInRoot}' if it is genuine.");
            if (status.IsWritableByOthers) throw Refusal($"the {role} {pathInRoot} is writable by group or others (mode {status.Permissions}); run 'chmod go-w {pathInRoot}' if it is genuine.");
            CheckParents(root, resolved, role, pathInRoot);
            return new ImageFile(pathInRoot, handle, status);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    // Whoever can write a parent directory can rename another file into place before the next boot's load.
    private static void CheckParents(BootRoot root, string resolved, string role, string pathInRoot)
    {
        string dir = "/";
        string[] parts = resolved.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (int i = 0; i < parts.Length; i++)
        {
            FileStatus? status = FileSyscalls.Stat(root.ToHost(dir), out int errno);
            if (status is not { } s) throw Refusal($"cannot read the status of {dir} ({Errno.Name(errno)}), which holds the {role} {pathInRoot}.");
            if (s.Uid != 0) throw Refusal($"the directory {dir} holding the {role} {pathInRoot} is owned by uid {s.Uid}, not root; run 'chown root: {dir}'.");
            if (s.IsWritableByOthers) throw Refusal($"the directory {dir} holding the {role} {pathInRoot} is writable by group or others (mode {s.Permissions}); run 'chmod go-w {dir}'.");
            if (i < parts.Length - 1) dir = BootRoot.Join(dir, parts[i]);
        }
    }

    private static RekernelException NotRegular(string role, string pathInRoot, FileStatus status) =>
        Refusal($"the {role} {pathInRoot} is not a regular file ({status.Kind}); point the entry at the real file.");

    private static RekernelException Refusal(string message) => new(ExitCode.Refused, message);
}
