using System.Collections.Immutable;

namespace Rekernel.Discovery;

/// <summary>Reads every boot layout under a root and decides order and default as the active bootloader would.</summary>
public static class BootDiscovery
{
    public static BootInventory Discover(BootRoot root) =>
        new([], null, "none", []);
}
