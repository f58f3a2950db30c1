using System.Collections.Immutable;
using Rekernel.Discovery;

namespace Rekernel.Planning;

/// <summary>What <c>rekernel load</c> will stage: the entry, its files (paths inside the root) and the final command line.</summary>
public sealed record LoadPlan(BootEntry Entry, string Kernel, ImmutableArray<string> Initrds, string Cmdline)
{
    public static LoadPlan For(BootEntry entry, string cmdline) => new(entry, entry.Kernel, entry.Initrds, cmdline);
}
