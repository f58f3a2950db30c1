using Microsoft.Win32.SafeHandles;
using Rekernel.Kexec;
using Rekernel.Machine;
using Rekernel.Native;

namespace Rekernel.Tests.Fakes;

/// <summary>Records kexec calls and what was loaded; can be told to fail a call with an errno. Memory files are real memfds.</summary>
public sealed class FakeKexecSystem : IKexecSystem
{
    private readonly Dictionary<string, int> _failures = [];

    public List<string> Calls { get; } = [];
    public byte[]? LoadedKernel { get; private set; }
    public byte[]? LoadedInitrd { get; private set; }
    public string? LoadedCmdline { get; private set; }
    public bool? IsLoaded { get; set; } = false;
    /// <summary>What the probe for kexec_file_load answers (asked only for a machine without a kernel config).</summary>
    public bool HasFileLoad { get; set; } = true;
    /// <summary>When false, a successful load leaves <see cref="IsLoaded"/> as it was (a kernel that silently drops the image).</summary>
    public bool LoadSetsLoaded { get; set; } = true;
    public KexecFacts Facts { get; set; } = new(true, false, LockdownMode.None, false);

    /// <summary>Makes the named call (<c>LoadFile</c>, <c>Unload</c>, <c>Reboot</c>, <c>CreateMemoryFile</c>) fail with errno.</summary>
    public FakeKexecSystem FailOn(string call, int errno)
    {
        _failures[call] = errno;
        return this;
    }

    public void LoadFile(SafeFileHandle kernel, SafeFileHandle? initrd, string cmdline)
    {
        Record("LoadFile", KexecOperation.Load);
        LoadedKernel = ReadAll(kernel);
        LoadedInitrd = initrd is null ? null : ReadAll(initrd);
        LoadedCmdline = cmdline;
        if (LoadSetsLoaded) IsLoaded = true;
    }

    public void Unload()
    {
        Record("Unload", KexecOperation.Unload);
        if (IsLoaded is not null) IsLoaded = false;
    }

    public SafeFileHandle CreateMemoryFile(string name)
    {
        Record("CreateMemoryFile", KexecOperation.Load);
        return MemfdSyscalls.Create(name, out int errno) ?? throw LinuxKexecSystem.MemoryFileFailure(errno);
    }

    /// <summary>Records the jump and returns (the real call never returns) so a test can look at what happened.</summary>
    public void SyncAndRebootIntoStaged() => Record("Reboot", KexecOperation.Reboot);

    private void Record(string call, KexecOperation operation)
    {
        Calls.Add(call);
        if (_failures.TryGetValue(call, out int errno)) throw KexecErrors.Exception(errno, operation, Facts);
    }

    private static byte[] ReadAll(SafeFileHandle handle)
    {
        long length = RandomAccess.GetLength(handle);
        byte[] data = new byte[length];
        int done = 0;
        while (done < length) done += RandomAccess.Read(handle, data.AsSpan(done), done);
        return data;
    }
}
