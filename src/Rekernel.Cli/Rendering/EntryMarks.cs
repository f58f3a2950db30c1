using Rekernel.Discovery;

namespace Rekernel.Cli.Rendering;

/// <summary>Which entry is the bootloader default and which kernel is running, for marking entries in output.</summary>
public sealed class EntryMarks(BootEntry? defaultEntry, string? runningRelease)
{
    public bool IsDefault(BootEntry entry) => entry == defaultEntry;

    public bool IsRunning(BootEntry entry) => runningRelease is not null && entry.Version == runningRelease;
}
