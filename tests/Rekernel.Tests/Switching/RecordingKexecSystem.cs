using Microsoft.Win32.SafeHandles;
using Rekernel.Kexec;

namespace Rekernel.Tests.Switching;

/// <summary>A stand-in for the system calls that records what was called, in order.</summary>
public sealed class RecordingKexecSystem : IKexecSystem
{
    public bool? Loaded { get; set; } = true;

    /// <summary>Runs inside <see cref="SyncAndRebootIntoStaged"/>, so a test can look at the disk at the moment of the jump.</summary>
    public Action? OnReboot { get; set; }

    public List<string> Calls { get; } = [];

    public bool HasFileLoad
    {
        get
        {
            Calls.Add(nameof(HasFileLoad));
            return true;
        }
    }

    public bool? IsLoaded
    {
        get
        {
            Calls.Add(nameof(IsLoaded));
            return Loaded;
        }
    }

    public void SyncAndRebootIntoStaged()
    {
        Calls.Add(nameof(SyncAndRebootIntoStaged));
        OnReboot?.Invoke();
    }

    public void LoadFile(SafeFileHandle kernel, SafeFileHandle? initrd, string cmdline) => Calls.Add(nameof(LoadFile));

    public void Unload() => Calls.Add(nameof(Unload));

    public SafeFileHandle CreateMemoryFile(string name) => throw new NotSupportedException("not needed by switch tests");
}
